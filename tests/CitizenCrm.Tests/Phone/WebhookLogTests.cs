using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CitizenCrm.Tests.Phone;

/// <summary>A GET webhook's query holds the caller's number: it must never reach a log, whatever the log level.</summary>
// Not beside another class: it runs a second server process and waits on its timing.
[NonParallelizable]
public partial class WebhookLogTests
{
    private const string Query = "CallSid=CA0123456789abcdef0123456789abcdef&From=%2B40722123456&To=%2B40258819462&CallStatus=ringing";

    /// <summary>Any phone-shaped string: +40 or 0040 and nine digits, 07xx and eight, or the nine digits alone, URL-encoded or not.</summary>
    [GeneratedRegex(@"(\+|%2B|00)40\d{9}|\b07\d{8}\b|722123456")]
    private static partial Regex PhoneShaped();

    /// <summary>
    /// Levels set for every provider, and levels set for one provider only (`Logging:Console:LogLevel:...`), which
    /// outrank any rule for all providers: neither lets a request line through.
    /// </summary>
    [TestCase("Logging:LogLevel")]
    [TestCase("Logging:CitizenCrm.Tests.Infrastructure.CapturingProvider:LogLevel")]
    public async Task At_Trace_level_a_GET_webhook_leaves_no_phone_number_in_any_log_line(string levels)
    {
        var lines = new ConcurrentQueue<string>();
        using var app = new CrmTestApp(settings: new Dictionary<string, string?>
        {
            ["Phone:SkipSignatureValidation"] = "true",
            [levels + ":Default"] = "Trace",
            [levels + ":Microsoft.AspNetCore"] = "Trace",
            [levels + ":Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
        });
        using var logged = app.WithWebHostBuilder(b =>
            b.ConfigureTestServices(s => s.AddLogging(l => l.AddProvider(new CapturingProvider(lines)).SetMinimumLevel(LogLevel.Trace))));
        var client = logged.CreateClient();
        foreach (var path in new[] { "/incoming", "/status", "/wait", "/fallback" })
        {
            var response = await client.GetAsync("/twilio/voice" + path + "?" + Query);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(lines, Has.Some.Contains("Microsoft.AspNetCore.Routing"), "the capture must see ASP.NET's own Trace lines");
        Assert.That(lines, Has.Some.Contains("PhoneTurn"), "the capture must see the phone turn");
        Assert.That(lines.Where(l => PhoneShaped().IsMatch(l)), Is.Empty);
    }

    /// <summary>
    /// `dotnet path/to/CitizenCrm.Server.dll` from another folder: the settings beside the binary are read (so ASP.NET's
    /// request lines stay at Warning), the request line with the caller's number is not logged, and the default data
    /// folder "data" is relative to the folder the server was started from.
    /// </summary>
    [Test]
    public async Task Started_from_another_folder_the_server_reads_its_settings_beside_the_binary_and_logs_no_number()
    {
        var binary = Path.Combine(AppContext.BaseDirectory, "CitizenCrm.Server.dll");
        Assert.That(File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")), "the build copies appsettings.json beside the binary");
        var elsewhere = Path.Combine(Path.GetTempPath(), "citizencrm-tests", "elsewhere-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(elsewhere);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = elsewhere, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { binary, "--urls", "http://127.0.0.1:0" }) start.ArgumentList.Add(a);
        foreach (var v in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_URLS", "ASPNETCORE_CONTENTROOT", "DOTNET_CONTENTROOT" })
            start.Environment.Remove(v);

        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var server = new Process { StartInfo = start };
        server.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            if (Regex.Match(e.Data, @"Now listening on: (http://127\.0\.0\.1:\d+)") is { Success: true } m) listening.TrySetResult(m.Groups[1].Value);
        };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        server.Start();
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromMinutes(2));
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            // No Twilio auth token is configured: 403, but the request line has been seen by the host by then.
            var response = await client.GetAsync("/twilio/voice/incoming?" + Query);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            var health = await client.GetAsync("/health/ready");
            Assert.That((int)health.StatusCode, Is.LessThan(500));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        var log = string.Join("\n", output);
        Assert.That(log, Does.Contain("Content root path: " + AppContext.BaseDirectory.TrimEnd('/')), log);
        Assert.That(log, Does.Not.Contain("Executing endpoint"), "appsettings.json (Microsoft.AspNetCore: Warning) was not read:\n" + log);
        Assert.That(PhoneShaped().IsMatch(log), Is.False, log);
        Assert.That(File.Exists(Path.Combine(elsewhere, "data", "citizencrm.db")), "the data folder \"data\" is relative to where the server was started");
        try { Directory.Delete(elsewhere, recursive: true); } catch (IOException) { }
    }
}
