using CitizenCrm.Ivr.Scripts;

namespace CitizenCrm.Ivr.Engine;

/// <summary>
/// The pure step function: (call state, caller input) -> (new state, what to say, what to gather). It touches no
/// database and no clock; where the flow needs data it returns a <see cref="PendingAction"/>, and the turn handler
/// runs it and resumes the engine with the outcome.
/// </summary>
public sealed class FlowEngine(IvrScript script)
{
    public const int MaxRepeats = 3;

    /// <summary>
    /// Silences and unusable answers in the whole call after which the robot says goodbye and hangs up, whatever the script:
    /// no path of the flow, however it loops (a closed desk sending the caller back to its own menu), keeps a caller forever.
    /// </summary>
    public const int MaxStrikesPerCall = 9;

    /// <summary>The outcomes that mean the caller's answer was missing or unusable.</summary>
    private static bool IsStrike(string outcome) => outcome is "no_input" or "invalid" or "invalid_cnp";
    private const int MaxHops = 50;

    public IvrScript Script => script;

    public Step Begin(CallState state, IReadOnlyList<Utterance>? before = null) =>
        Enter(script.Start, state, [.. before ?? []], 0);

    /// <summary>The caller answered (or not) the question of the current state.</summary>
    public Step Step(CallState state, CallerInput input)
    {
        if (!script.States.TryGetValue(state.State, out var s)) return Enter(script.Fallback, state with { Reason = "error" }, [], 0);
        if (s.Gather is null && s.End is null) return Enter(s.Name, state, [], 0);   // nothing was asked: say it again

        if (input is CallerInput.NoInput && s.Gather is not null) return Transition(s, state, "no_input", null, [], 0);
        if (s.Action is not null) return new Step(state, [], null, null, new PendingAction(s.Action, input));
        if (s.End is not null)
            return Transition(s, state, input switch
            {
                CallerInput.QueueResult q => q.Result is "leave" or "queue-full" or "error" or "system-error" ? "left" : "ended",
                CallerInput.Recording r => r.Seconds > 0 && !string.IsNullOrEmpty(r.Url) ? "recorded" : "empty",
                _ => s.End == "enqueue" ? "ended" : "empty",
            }, null, [], 0);

        // A menu: a key, or a spoken word listed for that key.
        var key = input switch
        {
            CallerInput.Keys k when k.Digits.Length == 1 && s.On.ContainsKey(k.Digits) => k.Digits,
            CallerInput.Speech sp when s.Gather?.SpeechPromptKey is { } speechKey => MatchSpeech(state.Language, speechKey, sp.Text, s),
            _ => null,
        };
        return Transition(s, state, key ?? "invalid", null, [], 0);
    }

    /// <summary>The action of the current state ran; follow its outcome.</summary>
    public Step Resume(ActionResult result)
    {
        var s = script.States[result.State.State];
        return Transition(s, result.State, result.Outcome, result.Vars, [], 0);
    }

    private string? MatchSpeech(string language, string speechKey, string text, FlowState s)
    {
        var (words, _) = script.SpeechChoices(language, speechKey);
        var spoken = text.ToLowerInvariant();
        foreach (var (word, key) in words)
            if (s.On.ContainsKey(key) && spoken.Contains(word.ToLowerInvariant(), StringComparison.Ordinal)) return key;
        return null;
    }

    private Step Transition(FlowState s, CallState state, string outcome, IReadOnlyDictionary<string, string>? vars, List<Utterance> say, int hops)
    {
        if (!s.On.TryGetValue(outcome, out var t))
            return Enter(script.Fallback, state with { Reason = "error" }, [.. say, new Utterance(state.Language, script.Text(state.Language, "sorry"))], hops + 1);

        // Silence and unusable answers that bring the caller back to the same question are counted; after a few the state's
        // own `too_many` transition is taken (a menu may say goodbye), else a human takes over (the fallback).
        var repeating = IsStrike(outcome) && t.Goto == s.Name;
        var next = state with
        {
            Repeats = repeating ? state.Repeats + 1 : 0,
            Strikes = IsStrike(outcome) ? state.Strikes + 1 : state.Strikes,
            Language = t.Language ?? state.Language,
            Reason = t.Reason ?? state.Reason,
        };
        if (next.Strikes >= MaxStrikesPerCall)
        {
            // The last word of a call that goes nowhere: an apology and goodbye, then the robot hangs up.
            say.Add(new Utterance(next.Language, script.Text(next.Language, "too_many_tries")));
            say.Add(new Utterance(next.Language, script.Text(next.Language, "goodbye")));
            return new Step(next with { State = s.Name, Repeats = 0 }, say, null, "hangup", null);
        }
        if (repeating && next.Repeats >= MaxRepeats)
        {
            next = next with { Repeats = 0 };
            if (s.Action is null && s.On.TryGetValue("too_many", out var giveUp))
            {
                next = next with { Reason = giveUp.Reason ?? next.Reason };
                foreach (var key in giveUp.Say) say.Add(Utter(next.Language, key, vars));
                return Enter(giveUp.Goto, next, say, hops + 1);
            }
            return Enter(script.Fallback, next with { Reason = outcome == "no_input" ? "no_input" : "not_understood" }, say, hops + 1);
        }

        foreach (var key in t.Say) say.Add(Utter(next.Language, key, vars));
        return Enter(t.Goto, next, say, hops + 1);
    }

    /// <summary>"prompt" is said in the call's language; "prompt:hu" always in Hungarian, with the Hungarian voice (the language menu).</summary>
    private Utterance Utter(string language, string key, IReadOnlyDictionary<string, string>? vars)
    {
        var colon = key.IndexOf(':');
        if (colon > 0) (language, key) = (key[(colon + 1)..], key[..colon]);
        return new Utterance(language, script.Text(language, key, vars));
    }

    private Step Enter(string name, CallState state, List<Utterance> say, int hops)
    {
        if (hops > MaxHops) throw new InvalidOperationException($"The flow loops without asking the caller anything (at state '{name}').");
        var s = script.States[name];
        state = state with { State = name };
        foreach (var key in s.Say) say.Add(Utter(state.Language, key, null));
        if (s.Gather is not null) return new Step(state, say, s.Gather, null, null);
        if (s.End is not null) return new Step(state, say, null, s.End, null);
        return new Step(state, say, null, null, new PendingAction(s.Action!, null));
    }
}
