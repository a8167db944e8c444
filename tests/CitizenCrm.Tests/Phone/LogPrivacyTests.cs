using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CitizenCrm.Tests.Phone;

public class LogPrivacyTests : PhoneCallTest
{
    private sealed class CapturingLogger(ConcurrentQueue<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(lines, categoryName);
        public void Dispose() { }
    }

    [Test]
    public async Task A_whole_call_leaves_no_CNP_PIN_or_phone_number_in_any_log_line()
    {
        var caller = await CitizenWithPin("Radu", phone: "+40745123987");
        var lines = new ConcurrentQueue<string>();
        using var logged = App.WithWebHostBuilder(b =>
        {
            b.UseSetting("Logging:LogLevel:Default", "Trace");
            b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            b.ConfigureTestServices(s => s.AddLogging(l => l.AddProvider(new CapturingProvider(lines)).SetMinimumLevel(LogLevel.Trace)));
        });
        var call = new TwilioPhone(logged.CreateClient(), "CA" + Guid.NewGuid().ToString("N"), "+40745123987");
        var wrong = caller.Pin == "0000" ? "1111" : "0000";
        await call.Dial();
        await call.Press("1");
        await call.Press(caller.Cnp + "#");
        await call.Press(wrong);              // a failure, logged as such
        await call.Press(caller.Cnp + "#");
        await call.Press(caller.Pin);
        await call.Press("3");
        await call.Press("1");
        await call.Press("1234*2026#");       // the registry is not there yet or the case is unknown: either way, a reply
        if (call.Last!.Gather is not null) await call.Press("0");
        await call.Hangup();

        Assert.That(lines, Is.Not.Empty, "the capture must see the server's logs");
        Assert.That(lines, Has.Some.Contains("PhoneTurn"), "the capture must see the phone turns");
        var nationalNumber = "745123987";
        foreach (var line in lines)
        {
            Assert.That(line, Does.Not.Contain(caller.Cnp), "a CNP in the logs");
            Assert.That(line, Does.Not.Contain(caller.Cnp[..7]), "the start of a CNP in the logs");
            Assert.That(line, Does.Not.Contain(nationalNumber), "a phone number in the logs");
            Assert.That(line, Does.Not.Contain("Digits=" + caller.Pin).And.Not.Contains("PIN " + caller.Pin).And.Not.Contains("pin=" + caller.Pin));
        }
    }
}
