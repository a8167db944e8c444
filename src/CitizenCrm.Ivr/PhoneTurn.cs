using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Phone;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using CitizenCrm.Ivr.Engine;
using CitizenCrm.Ivr.Scripts;
using CitizenCrm.Ivr.Twiml;
using Mediator;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Ivr;

/// <summary>
/// One webhook request of a call: the incoming call (turn 0) or the answer to a question (the turn number the
/// previous reply put in the URL). Runs in one transaction: the call state, the events and the stored reply
/// commit together. The same turn asked again gets the stored reply back: nothing advances or is logged twice.
/// </summary>
public sealed record PhoneTurn(string CallSid, int Turn, bool Incoming, string? From, IReadOnlyDictionary<string, string> Form) : ICommand<string>;

public sealed class PhoneTurnHandler(UnitOfWork uow, Timeline timeline, ScriptStore scripts, PhoneActions actions,
    IOptions<PhoneOptions> options, TimeProvider clock) : ICommandHandler<PhoneTurn, string>
{
    private const string Load = """
        SELECT call_sid AS CallSid, language AS Language, citizen_id AS CitizenId, next_turn AS NextTurn, state AS State,
               last_turn AS LastTurn, last_reply AS LastReply, status AS Status, caller_masked AS CallerMasked, caller_number AS CallerNumber
        FROM ivr_calls WHERE call_sid = @CallSid
        """;
    private const string Insert = """
        INSERT INTO ivr_calls (call_sid, caller_masked, caller_number, language, next_turn, state, status, outcome, started_at, updated_at)
        VALUES (@CallSid, @CallerMasked, @CallerNumber, @Language, @NextTurn, '{}', 'in_robot', 'anonymous', @Now, @Now)
        """;
    private const string Save = """
        UPDATE ivr_calls SET language = @Language, citizen_id = @CitizenId, next_turn = @NextTurn, state = @State, last_turn = @LastTurn,
               last_reply = @LastReply, status = @Status, wait_reason = @WaitReason, waiting_since = @WaitingSince, outcome = @Outcome, updated_at = @Now
        WHERE call_sid = @CallSid
        """;
    // Takes the call's row lock and changes nothing: a turn Twilio sends twice at once then waits for the first to commit.
    private const string LockCall = "UPDATE ivr_calls SET updated_at = updated_at WHERE call_sid = @CallSid";
    private const string PreferredLanguage = """
        SELECT c.preferred_language FROM citizen_phones p JOIN citizens c ON c.id = p.citizen_id WHERE p.phone = @Phone
        """;

    internal sealed record CallRow
    {
        public string CallSid { get; init; } = "";
        public string Language { get; init; } = "ro";
        public Guid? CitizenId { get; init; }
        public int NextTurn { get; init; }
        public string State { get; init; } = "{}";
        public int? LastTurn { get; init; }
        public string? LastReply { get; init; }
        public string Status { get; init; } = "";
        public string CallerMasked { get; init; } = "";
        public string? CallerNumber { get; init; }
    }

    public async ValueTask<string> Handle(PhoneTurn turn, CancellationToken ct)
    {
        var script = scripts.Current;
        var engine = new FlowEngine(script);
        var renderer = new TwimlRenderer(options.Value);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // On a server database the same turn arriving twice at once (Twilio's retry) would be read twice before either
        // answer is stored; the second waits here for the first's commit and then replays its stored reply.
        if (!uow.Dialect.SerializesWriters) await uow.ExecuteAsync(LockCall, new { turn.CallSid }, ct);
        var row = await uow.QuerySingleOrDefaultAsync<CallRow>(Load, new { turn.CallSid }, ct);

        Step step;
        CallState state;
        if (row is not null && turn.Incoming)
            return row.LastReply ?? TwimlRenderer.Empty();   // Twilio retried the incoming call: same greeting, nothing logged again
        if (row is not null && (turn.Turn == row.LastTurn || turn.Turn != row.NextTurn))
            return row.LastReply ?? TwimlRenderer.Empty();   // a duplicate or stale turn: the last reply again, nothing advances
        if (row is not null && row.Status == "ended")
            return renderer.Render(new Step(Json.Deserialize<CallState>(row.State)!, [new Utterance(row.Language, script.Text(row.Language, "goodbye"))], null, "hangup", null), turn.Turn + 1, script);

        var context = new TurnContext(turn.CallSid, turn.Turn, row?.CallerNumber, row?.CallerMasked ?? PhoneNumber.Mask(PhoneNumber.FromCarrier(turn.From)));
        if (row is null)
        {
            // A new call, or a later turn of a call this database never saw (its state was lost): start from the greeting.
            var number = PhoneNumber.FromCarrier(turn.From);
            // The preferred language only when the city chose so (Phone:GreetInPreferredLanguage): otherwise a greeting
            // must not tell a caller whether this number is on file.
            var language = number is null || !options.Value.GreetInPreferredLanguage ? null
                : (await uow.QueryAsync<string>(PreferredLanguage, new { Phone = number }, ct)).FirstOrDefault();
            language = language is not null && IvrScript.Languages.Contains(language) ? language : "ro";
            context = context with { CallerNumber = number, CallerMasked = PhoneNumber.Mask(number) };
            await uow.ExecuteAsync(Insert, new { turn.CallSid, CallerMasked = context.CallerMasked, CallerNumber = number, Language = language, NextTurn = turn.Turn, Now = now }, ct);
            await timeline.AppendAsync(new TimelineEntry
            {
                Kind = "ivr.call_started", Channel = Channels.Ivr, Correlation = turn.CallSid,
                Summary = $"Call from {context.CallerMasked} started" + (turn.Incoming ? "" : " (state lost; restarted from the greeting)"),
                Payload = new { turn.Turn, Restarted = !turn.Incoming },
                DedupKey = $"twilio:{turn.CallSid}:{turn.Turn}:0",
            }, ct);
            state = new CallState { Language = language };
            step = engine.Begin(state, turn.Incoming ? null : [new Utterance(language, script.Text(language, "unknown_call"))]);
        }
        else
        {
            state = Json.Deserialize<CallState>(row.State)!;
            step = engine.Step(state, ReadInput(turn.Form));
        }

        // Run the actions the flow asks for (database lookups) until the engine has something to say and ask.
        var say = new List<Utterance>(step.Say);
        while (step.Pending is { } pending)
        {
            var result = await actions.RunAsync(pending, step.State, context, ct);
            step = engine.Resume(result);
            say.AddRange(step.Say);
        }
        step = step with { Say = say };
        state = step.State;

        var reply = renderer.Render(step, turn.Turn + 1, script);
        var waiting = step.End == "enqueue";
        if (waiting)
            await timeline.AppendAsync(new TimelineEntry
            {
                Kind = "ivr.transferred", Channel = Channels.Ivr, CitizenId = state.CitizenId, Correlation = turn.CallSid,
                Summary = $"Caller put through to the operators' queue ({state.Reason.Replace('_', ' ')})",
                Payload = new { state.Reason, Queue = options.Value.QueueName },
                Facts = new { state.Reason },
                DedupKey = $"twilio:{turn.CallSid}:{turn.Turn}:9",
            }, ct);
        if (waiting && state.Outcome is "anonymous" or "identified" or "answered") state = state with { Outcome = "transferred" };
        await uow.ExecuteAsync(Save, new
        {
            turn.CallSid, state.Language, state.CitizenId, NextTurn = turn.Turn + 1, State = Json.Serialize(state), LastTurn = turn.Turn,
            LastReply = reply, Status = waiting ? "waiting" : "in_robot", WaitReason = waiting ? state.Reason : null,
            WaitingSince = waiting ? now : (long?)null, state.Outcome, Now = now,
        }, ct);
        return reply;
    }

    /// <summary>Twilio's parameters as the engine's input. Digits must be keypad characters and short; anything else is garbage, never parsed.</summary>
    public static CallerInput ReadInput(IReadOnlyDictionary<string, string> form)
    {
        if (form.TryGetValue("QueueResult", out var queue) && !string.IsNullOrEmpty(queue)) return new CallerInput.QueueResult(queue);
        if (form.ContainsKey("RecordingUrl") || form.ContainsKey("RecordingDuration"))
            return new CallerInput.Recording(form.GetValueOrDefault("RecordingUrl"),
                int.TryParse(form.GetValueOrDefault("RecordingDuration"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 0);
        if (form.TryGetValue("Digits", out var digits) && digits.Length > 0)
        {
            if (digits.Length > 20 || !digits.All(c => char.IsAsciiDigit(c) || c is '*' or '#')) return new CallerInput.Garbage();
            return new CallerInput.Keys(digits.TrimEnd('#'));
        }
        if (form.TryGetValue("SpeechResult", out var speech) && !string.IsNullOrWhiteSpace(speech))
            return new CallerInput.Speech(speech.Length > 200 ? speech[..200] : speech);
        return new CallerInput.NoInput();
    }
}

/// <summary>What an action needs to know about the call besides its state.</summary>
public sealed record TurnContext(string CallSid, int Turn, string? CallerNumber, string CallerMasked);
