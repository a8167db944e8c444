namespace CitizenCrm.Ivr.Engine;

/// <summary>
/// Where a call is in the flow, stored as JSON in ivr_calls.state. Never holds a CNP or a PIN: between the CNP
/// turn and the PIN turn only a keyed hash of the CNP and the matching citizen id (if any) are kept.
/// </summary>
public sealed record CallState
{
    public string State { get; init; } = "";
    public string Language { get; init; } = "ro";
    public Guid? CitizenId { get; init; }
    public string? FirstName { get; init; }
    public string? CnpKey { get; init; }
    public Guid? CandidateCitizenId { get; init; }
    public int IdentityTries { get; init; }
    /// <summary>Consecutive silences or unusable answers; after <see cref="FlowEngine.MaxRepeats"/> the caller goes to a human.</summary>
    public int Repeats { get; init; }
    /// <summary>Silences and unusable answers in the whole call; after <see cref="FlowEngine.MaxStrikesPerCall"/> the robot says goodbye.</summary>
    public int Strikes { get; init; }
    /// <summary>Why the caller will reach a human, for the dispatcher's screen.</summary>
    public string Reason { get; init; } = "operator_requested";
    /// <summary>The call's outcome so far (written on the call-ended event).</summary>
    public string Outcome { get; init; } = "anonymous";
}

/// <summary>What the caller did this turn, as Twilio reported it.</summary>
public abstract record CallerInput
{
    public sealed record Keys(string Digits) : CallerInput;
    public sealed record Speech(string Text) : CallerInput;
    public sealed record NoInput : CallerInput;
    /// <summary>Digits Twilio could not have sent for this question (letters, 50 digits): never parsed further.</summary>
    public sealed record Garbage : CallerInput;
    public sealed record QueueResult(string Result) : CallerInput;
    public sealed record Recording(string? Url, int Seconds) : CallerInput;
}

/// <summary>A line to speak, in the language it was written in.</summary>
public sealed record Utterance(string Language, string Text);

/// <summary>
/// The engine's answer: what to say, then either what to gather, how the robot's part ends, or an action the
/// caller of the engine must run (a database lookup) and feed back with <see cref="FlowEngine.Resume"/>.
/// </summary>
public sealed record Step(CallState State, IReadOnlyList<Utterance> Say, Scripts.GatherSpec? Gather, string? End, PendingAction? Pending);

public sealed record PendingAction(string Action, CallerInput? Input);

/// <summary>An action's result: the outcome naming the transition, the values for the prompts, the state it changed.</summary>
public sealed record ActionResult(string Outcome, CallState State, IReadOnlyDictionary<string, string>? Vars = null);
