using System.Globalization;
using CitizenCrm.Core.Phone;
using CitizenCrm.Ivr.Engine;
using HttpMethod = Twilio.Http.HttpMethod;
using Twilio.TwiML;
using Twilio.TwiML.Voice;

namespace CitizenCrm.Ivr.Twiml;

/// <summary>
/// Turns an engine step into TwiML with the Twilio library's VoiceResponse. Every URL Twilio will call back
/// carries the next turn's number (Twilio sends none itself), and Twilio signs the URL with it.
/// </summary>
public sealed class TwimlRenderer(PhoneOptions options)
{
    public const string VoicePath = "/twilio/voice";
    private const int MaxMessageSeconds = 120;

    public Uri Url(string pathAndQuery)
    {
        var path = VoicePath + pathAndQuery;
        return string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            ? new Uri(path, UriKind.Relative)
            : new Uri(options.PublicBaseUrl.TrimEnd('/') + path);
    }

    public Uri TurnUrl(int turn) => Url("/turn?turn=" + turn.ToString(CultureInfo.InvariantCulture));

    public string Render(Step step, int nextTurn, Scripts.IvrScript script)
    {
        var response = new VoiceResponse();
        if (step.Gather is { } g)
        {
            var language = step.State.Language;
            var voice = VoiceFor(language);
            var speech = g.SpeechPromptKey is not null;
            var gather = new Gather(
                input: speech ? [Gather.InputEnum.Dtmf, Gather.InputEnum.Speech] : [Gather.InputEnum.Dtmf],
                action: TurnUrl(nextTurn),
                method: HttpMethod.Post,
                timeout: g.Timeout,
                numDigits: g.Digits,
                finishOnKey: g.FinishOnKey ?? (g.Digits is null ? "#" : null),
                actionOnEmptyResult: true);
            if (speech)
            {
                gather.Language = voice.Language;
                gather.Hints = script.SpeechChoices(language, g.SpeechPromptKey!).Hints;
            }
            foreach (var u in step.Say) gather.Say(u.Text, voice: VoiceFor(u.Language).Voice, language: VoiceFor(u.Language).Language);
            response.Append(gather);
            // Should Twilio ever continue past an empty gather, the next turn still comes, as "no input".
            response.Redirect(TurnUrl(nextTurn), HttpMethod.Post);
            return response.ToString();
        }

        Say(response, step.Say);
        switch (step.End)
        {
            case "enqueue":
                response.Enqueue(options.QueueName, action: TurnUrl(nextTurn), method: HttpMethod.Post,
                    waitUrl: Url("/wait?lang=" + step.State.Language), waitUrlMethod: HttpMethod.Post);
                break;
            case "record":
                response.Record(action: TurnUrl(nextTurn), method: HttpMethod.Post, timeout: 5, finishOnKey: "#",
                    maxLength: MaxMessageSeconds, playBeep: true);
                break;
            default:
                response.Hangup();
                break;
        }
        return response.ToString();
    }

    /// <summary>The answer when something failed inside a turn: an apology in the caller's language and a human.</summary>
    /// <param name="closed">When the operators are not at work: said instead of queueing the caller for nobody.</param>
    public string Apology(string language, string sorry, string goodbye, string? closed = null)
    {
        var response = new VoiceResponse();
        Say(response, [new Utterance(language, sorry)]);
        if (closed is not null)
        {
            Say(response, [new Utterance(language, closed), new Utterance(language, goodbye)]);
            response.Hangup();
            return response.ToString();
        }
        response.Enqueue(options.QueueName, waitUrl: Url("/wait?lang=" + language), waitUrlMethod: HttpMethod.Post);
        // Reached only if the caller leaves the queue (maximum wait).
        Say(response, [new Utterance(language, goodbye)]);
        response.Hangup();
        return response.ToString();
    }

    /// <summary>What a caller hears while waiting; after the maximum wait they leave the queue and are offered a message or a callback.</summary>
    public string Wait(string language, string waitText, int secondsInQueue)
    {
        var response = new VoiceResponse();
        if (secondsInQueue >= options.MaxWaitSeconds)
        {
            // <Leave> sends the caller to the <Enqueue> action URL with QueueResult=leave (not in the 2010 schema: a known gap).
            response.Leave();
            return response.ToString();
        }
        Say(response, [new Utterance(language, waitText)]);
        response.Pause(length: 20);
        return response.ToString();
    }

    public static string Empty() => new VoiceResponse().ToString();

    private void Say(VoiceResponse response, IEnumerable<Utterance> say)
    {
        foreach (var u in say)
        {
            var voice = VoiceFor(u.Language);
            response.Say(u.Text, voice: voice.Voice, language: voice.Language);
        }
    }

    private PhoneVoice VoiceFor(string language) =>
        options.Voices.TryGetValue(language, out var v) ? v : new PhoneVoice { Voice = "Polly.Carmen", Language = "ro-RO" };
}
