using System.Xml.Linq;
using CitizenCrm.Core.Phone;
using CitizenCrm.Ivr;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Server.Cli;

/// <summary>
/// `call`: a phone in the terminal. Places a scripted call against a running server, signing every request exactly
/// as Twilio does, and prints what the caller would hear. Keys are comma-separated answers, one per question:
/// "2850301123450#,1234,1" (an empty answer is silence).
/// </summary>
internal static class Call
{
    public static async Task<int> RunAsync(CommandLine.Options options)
    {
        var server = (options.Get("url") ?? "http://127.0.0.1:5080").TrimEnd('/');
        string? token, publicUrl;
        await using (var app = CommandLine.BuildServices(options))
        {
            var phone = app.Services.GetRequiredService<IOptions<PhoneOptions>>().Value;
            token = options.Get("auth-token") ?? (string.IsNullOrWhiteSpace(phone.AuthToken) ? null : phone.AuthToken);
            publicUrl = (options.Get("public-url") ?? (string.IsNullOrWhiteSpace(phone.PublicBaseUrl) ? server : phone.PublicBaseUrl)).TrimEnd('/');
        }
        if (string.IsNullOrEmpty(token))
        {
            Console.Error.WriteLine("Give --auth-token (the same as the server's Phone:AuthToken) or set Phone__AuthToken.");
            return 2;
        }
        var keys = (options.Get("keys") ?? "").Split(',').Select(k => k.Trim()).ToList();
        var from = options.Get("from") ?? "+40258000000";
        var callSid = options.Get("call-sid") ?? "CA" + Guid.NewGuid().ToString("N");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var started = DateTimeOffset.UtcNow;

        async Task<XDocument?> PostAsync(string url, Dictionary<string, string> form)
        {
            var absolute = url.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? url : publicUrl + url;
            var target = server + absolute[publicUrl.Length..];
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(form) };
            request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(token!, absolute, form));
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                Console.WriteLine($"[the server answered HTTP {(int)response.StatusCode}: Twilio would play its own error]");
                return null;
            }
            return XDocument.Parse(body);
        }

        Dictionary<string, string> Base() => new()
        {
            ["CallSid"] = callSid, ["AccountSid"] = "AC00000000000000000000000000000000", ["From"] = from, ["To"] = "+40258000001",
            ["CallStatus"] = "in-progress", ["Direction"] = "inbound", ["ApiVersion"] = "2010-04-01",
        };

        var doc = await PostAsync("/twilio/voice/incoming", Base());
        var next = 0;
        while (doc is not null)
        {
            string? action = null;
            var form = Base();
            foreach (var verb in doc.Root!.Elements())
            {
                foreach (var say in verb.DescendantsAndSelf("Say")) Console.WriteLine($"ROBOT ({say.Attribute("language")?.Value}): {say.Value}");
                if (verb.Name == "Gather")
                {
                    action = verb.Attribute("action")?.Value;
                    var answer = next < keys.Count ? keys[next++] : null;
                    if (answer is null) { Console.WriteLine("[the caller hangs up]"); action = null; break; }
                    if (answer.Length == 0) Console.WriteLine("CALLER: (silence)");
                    else
                    {
                        Console.WriteLine($"CALLER: presses {Mask(answer)}");
                        form["Digits"] = answer.TrimEnd('#');
                    }
                    break;
                }
                if (verb.Name == "Enqueue")
                {
                    Console.WriteLine($"[the caller waits in the queue '{verb.Value}' for an operator]");
                    break;
                }
                if (verb.Name == "Record")
                {
                    action = verb.Attribute("action")?.Value;
                    Console.WriteLine("[beep: the caller speaks a 12-second message]");
                    form["RecordingUrl"] = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE" + Guid.NewGuid().ToString("N");
                    form["RecordingDuration"] = "12";
                    break;
                }
                if (verb.Name == "Hangup") { Console.WriteLine("[the robot hangs up]"); break; }
            }
            if (action is null) break;
            doc = await PostAsync(action, form);
        }
        var end = Base();
        end["CallStatus"] = "completed";
        end["CallDuration"] = ((int)(DateTimeOffset.UtcNow - started).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await PostAsync("/twilio/voice/status", end);
        Console.WriteLine($"[call {callSid} ended]");
        return 0;
    }

    /// <summary>A transcript may be pasted in a README or a ticket: a CNP (13 digits) shows as its last 4 only, a PIN as ****.</summary>
    private static string Mask(string keys) =>
        keys.TrimEnd('#').Length == 13 ? new string('*', 9) + keys.TrimEnd('#')[^4..] + (keys.EndsWith('#') ? "#" : "")
        : keys.Length == 4 && keys.All(char.IsAsciiDigit) ? "**** (4 digits)" : keys;
}
