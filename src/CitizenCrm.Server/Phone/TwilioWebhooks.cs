using System.Globalization;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Holidays;
using CitizenCrm.Core.Phone;
using CitizenCrm.Core.Storage;
using CitizenCrm.Ivr;
using CitizenCrm.Ivr.Scripts;
using CitizenCrm.Ivr.Twiml;
using Mediator;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Server.Phone;

/// <summary>
/// Twilio's voice webhooks (form-encoded POSTs). Each answers HTTP 200 with TwiML whatever happens inside:
/// an exception becomes an apology in the caller's language and the operators' queue, never a 500.
/// Only the signature filter answers otherwise (403).
/// </summary>
public static class TwilioWebhooks
{
    /// <summary>The longest request line Kestrel lets through (its default is 8 KB): room for a GET webhook's query.</summary>
    public const int MaxRequestLineBytes = 128 * 1024;

    /// <summary>POST is Twilio's default; a number may be configured for GET, when the parameters come in the query.</summary>
    private static readonly string[] TwilioMethods = ["POST", "GET"];

    public static void MapTwilioWebhooks(this IEndpointRouteBuilder app)
    {
        var voice = app.MapGroup(TwimlRenderer.VoicePath).AddEndpointFilter<TwilioSignatureFilter>()
            .WithTags("Twilio webhooks").DisableAntiforgery();
        voice.MapMethods("/incoming", TwilioMethods, (HttpContext http, CancellationToken _) => TurnAsync(http, incoming: true));
        voice.MapMethods("/turn", TwilioMethods, (HttpContext http, CancellationToken _) => TurnAsync(http, incoming: false));
        voice.MapMethods("/wait", TwilioMethods, (HttpContext http, CancellationToken _) => WaitAsync(http));
        voice.MapMethods("/status", TwilioMethods, (HttpContext http, CancellationToken _) => StatusAsync(http));
        voice.MapMethods("/fallback", TwilioMethods, Fallback);
        voice.MapMethods("/operator", TwilioMethods, Operator);
        voice.MapMethods("/bridged", TwilioMethods, (HttpContext http, CancellationToken _) => BridgedAsync(http));
    }

    private static async Task<Dictionary<string, string>> FormAsync(HttpContext http)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (HttpMethods.IsGet(http.Request.Method))
        {
            foreach (var (key, value) in http.Request.Query) values[key] = value.ToString();
            return values;
        }
        if (!http.Request.HasFormContentType) return values;
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            // Malformed multipart, over 1,024 fields or 2,048-character keys (FormOptions), over Kestrel's 1 MB body
            // limit: not something Twilio sends. Reached only with signature checking off (the filter refuses these
            // with 403 otherwise); the caller, if there is one, still hears TwiML.
            throw new UnreadableWebhookException(ex);
        }
        foreach (var (key, value) in form) values[key] = value.ToString();
        return values;
    }

    /// <summary>The webhook's form could not be read: answered with the apology, logged as a warning without a stack trace.</summary>
    private sealed class UnreadableWebhookException(Exception inner) : Exception("The webhook's form could not be read.", inner);

    /// <summary>
    /// A call's SID as Twilio writes it: "CA" and 32 hexadecimal digits (https://www.twilio.com/docs/glossary/what-is-a-sid).
    /// Anything else (a NUL, 50 KB of text) is not a call in progress and touches no state.
    /// </summary>
    private static bool IsCallSid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? sid) =>
        sid is { Length: 34 } && sid.StartsWith("CA", StringComparison.Ordinal) && !sid.AsSpan(2).ContainsAnyExcept(HexDigits);

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static TwimlRenderer Renderer(HttpContext http) => new(http.RequestServices.GetRequiredService<IOptions<PhoneOptions>>().Value);
    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CitizenCrm.Phone");

    private static async Task<IResult> TurnAsync(HttpContext http, bool incoming)
    {
        string? callSid = null;
        try
        {
            var form = await FormAsync(http);
            callSid = form.GetValueOrDefault("CallSid");
            int turn = 0;
            var turnOk = incoming || int.TryParse(http.Request.Query["turn"], NumberStyles.None, CultureInfo.InvariantCulture, out turn) && turn is > 0 and < 10_000;
            if (!IsCallSid(callSid) || !turnOk)
            {
                // Not something Twilio sends for a call in progress: a defined answer, without touching any state.
                Logger(http).LogWarning("Twilio webhook without a usable CallSid or turn number: answered with the apology");
                return await ApologyAsync(http, null, 0);
            }
            http.RequestServices.GetRequiredService<RequestContext>().SystemActor = "ivr";
            var xml = await http.RequestServices.GetRequiredService<IMediator>()
                .Send(new PhoneTurn(callSid, turn, incoming, form.GetValueOrDefault("From"), form), http.RequestAborted);
            return new TwimlResult(xml);
        }
        catch (UnreadableWebhookException ex)
        {
            Logger(http).LogWarning("Twilio webhook {Path} with a form that cannot be read ({Error}): answered with the apology",
                http.Request.Path.Value, ex.InnerException!.GetType().Name);
            return await ApologyAsync(http, null, 0);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            // Exception messages here carry no caller data (requests are logged by name; SQL by text, never values).
            Logger(http).LogError(ex, "Phone turn failed ({Error}); the caller hears an apology and goes to the operators", ex.GetType().Name);
            return await ApologyAsync(http, callSid, int.TryParse(http.Request.Query["turn"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : 0);
        }
    }

    private static async Task<IResult> ApologyAsync(HttpContext http, string? callSid, int turn)
    {
        var language = "ro";
        try
        {
            if (callSid is not null)
            {
                // Best effort, in its own scope and transaction: the caller's language, and the caller shown as waiting
                // (reason "error") on the dispatchers' screen. If the database is what failed, the apology still goes out.
                await using var scope = http.RequestServices.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = "ivr";
                language = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new MarkCallFailed(callSid, turn), http.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger(http).LogWarning("The caller's language could not be read ({Error}); apologising in Romanian", ex.GetType().Name);
        }
        return new TwimlResult(Apology(http, language));
    }

    /// <summary>Twilio requests the operator's Queue url just before bridging a waiting caller: off the waiting list.</summary>
    private static async Task<IResult> BridgedAsync(HttpContext http)
    {
        try
        {
            var form = await FormAsync(http);
            if (form.GetValueOrDefault("CallSid") is { } sid && IsCallSid(sid))
            {
                http.RequestServices.GetRequiredService<RequestContext>().SystemActor = "ivr";
                await http.RequestServices.GetRequiredService<IMediator>().Send(new MarkCallBridged(sid), http.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger(http).LogError(ex, "Marking a bridged call failed ({Error})", ex.GetType().Name);
        }
        return new TwimlResult(TwimlRenderer.Empty());
    }

    /// <summary>The queue's wait music: a sentence, a pause, again; after the maximum wait, out of the queue (to the message/callback menu).</summary>
    private static async Task<IResult> WaitAsync(HttpContext http)
    {
        try
        {
            var form = await FormAsync(http);
            var language = http.Request.Query["lang"].ToString() is var l && IvrScript.Languages.Contains(l) ? l : "ro";
            var seconds = int.TryParse(form.GetValueOrDefault("QueueTime"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
            var script = http.RequestServices.GetRequiredService<ScriptStore>().Current;
            return new TwimlResult(Renderer(http).Wait(language, script.Text(language, "queue_wait"), seconds));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger(http).LogError(ex, "Queue wait answer failed ({Error})", ex.GetType().Name);
            return new TwimlResult(TwimlRenderer.Empty());
        }
    }

    /// <summary>Twilio's status callback: the call ended (duration, outcome on the timeline). Answered with empty TwiML.</summary>
    private static async Task<IResult> StatusAsync(HttpContext http)
    {
        try
        {
            var form = await FormAsync(http);
            var status = form.GetValueOrDefault("CallStatus") ?? "";
            if (form.GetValueOrDefault("CallSid") is { } sid && IsCallSid(sid) && status is "completed" or "busy" or "failed" or "no-answer" or "canceled")
            {
                http.RequestServices.GetRequiredService<RequestContext>().SystemActor = "ivr";
                int? duration = int.TryParse(form.GetValueOrDefault("CallDuration"), NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : null;
                await http.RequestServices.GetRequiredService<IMediator>().Send(
                    new EndPhoneCall(sid, status, duration, PhoneNumber.Mask(PhoneNumber.FromCarrier(form.GetValueOrDefault("From")))), http.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger(http).LogError(ex, "Call-ended callback failed ({Error})", ex.GetType().Name);
        }
        return new TwimlResult(TwimlRenderer.Empty());
    }

    /// <summary>Twilio calls this when the voice URL failed (timeout, network): no database, just the apology and a human.</summary>
    private static IResult Fallback(HttpContext http) => new TwimlResult(Apology(http, "ro"));

    /// <summary>
    /// The apology, then the operators' queue while they are at work; outside the opening hours the caller is asked to call
    /// again rather than left waiting for nobody. This answer must not need the database (it is what may have failed), so
    /// the calendar is the legal holidays alone, without the declared bridge days.
    /// </summary>
    private static string Apology(HttpContext http, string language)
    {
        var script = http.RequestServices.GetRequiredService<ScriptStore>().Current;
        var options = http.RequestServices.GetRequiredService<IOptions<PhoneOptions>>().Value;
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var year = CitizenCrm.Core.Common.Calendar.LocalDate(now).Year;
        var days = new WorkingDays(LegalHolidays.For(year).GroupBy(d => d.Day).ToDictionary(g => g.Key, g => g.First().Name));
        var closed = options.IsOpen(now, days) ? null : script.Text(language, "call_again_later");
        return Renderer(http).Apology(language, script.Text(language, "sorry"), script.Text(language, "goodbye"), closed);
    }

    /// <summary>For the operators' phones (a TwiML app or number pointed here): take the next waiting caller.</summary>
    private static IResult Operator(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<PhoneOptions>>().Value;
        var response = new Twilio.TwiML.VoiceResponse();
        var dial = new Twilio.TwiML.Voice.Dial();
        // The Queue url is played to the waiting caller just before the bridge: it takes them off the waiting list.
        dial.Queue(options.QueueName, url: Renderer(http).Url("/bridged"), method: Twilio.Http.HttpMethod.Post);
        response.Append(dial);
        return new TwimlResult(response.ToString());
    }
}
