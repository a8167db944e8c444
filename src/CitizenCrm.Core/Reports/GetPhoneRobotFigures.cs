using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Reports;

public sealed record PhoneRobotFigures(
    DateOnly From, DateOnly To,
    long Calls,
    long Identified, decimal? IdentifiedPercent,
    long Ended, long Contained, decimal? ContainmentPercent,
    decimal? AverageLengthSeconds,
    IReadOnlyDictionary<string, long> Outcomes,
    IReadOnlyDictionary<string, long> Asked,
    IReadOnlyDictionary<string, long> OperatorReasons,
    long CallbacksRequested, long MessagesLeft,
    long SurveyAnswers, decimal? SatisfactionAverage, IReadOnlyDictionary<string, long> SatisfactionDistribution,
    IReadOnlyList<string> Notes) : IReportTable
{
    public IReadOnlyList<string> CsvHeader() => ["figure", "value"];

    /// <summary>One figure per line; the breakdowns as "outcomes.answered", "asked.taxes", "satisfaction.5".</summary>
    public IEnumerable<IReadOnlyList<string>> CsvRows()
    {
        IReadOnlyList<string> Line(string k, string v) => [k, v];
        yield return Line("calls", ReportText.Of(Calls));
        yield return Line("identified", ReportText.Of(Identified));
        yield return Line("identified_percent", ReportText.Of(IdentifiedPercent));
        yield return Line("ended", ReportText.Of(Ended));
        yield return Line("contained", ReportText.Of(Contained));
        yield return Line("containment_percent", ReportText.Of(ContainmentPercent));
        yield return Line("average_length_seconds", ReportText.Of(AverageLengthSeconds));
        foreach (var (k, v) in Outcomes) yield return Line("outcomes." + k, ReportText.Of(v));
        foreach (var (k, v) in Asked) yield return Line("asked." + k, ReportText.Of(v));
        foreach (var (k, v) in OperatorReasons) yield return Line("operator_reasons." + k, ReportText.Of(v));
        yield return Line("callbacks_requested", ReportText.Of(CallbacksRequested));
        yield return Line("messages_left", ReportText.Of(MessagesLeft));
        yield return Line("survey_answers", ReportText.Of(SurveyAnswers));
        yield return Line("satisfaction_average", ReportText.Of(SatisfactionAverage));
        foreach (var (k, v) in SatisfactionDistribution) yield return Line("satisfaction." + k, ReportText.Of(v));
    }
}

/// <summary>
/// The phone robot, for calls that started on a day of the range, read from the timeline (the calls' state rows are
/// pruned after their retention; the timeline keeps the story):
/// - identified: the caller passed CNP + PIN (ivr.identity_verified);
/// - contained: the call ended (Twilio's status callback, ivr.call_ended) without reaching the operators' queue
///   (ivr.transferred) and without leaving a callback or message request for a person: the robot did all there was to do.
///   The percentage is of all calls of the range; a call still going counts as not contained;
/// - average length: of the ended calls whose length Twilio reported, in seconds, two decimals;
/// - outcomes: the outcome recorded when the call ended (abandoned: closed by the housekeeping job; in_progress: no end yet);
/// - asked: what the robot answered (ivr.answer_given: taxes, fines, case, cases), and why callers went to an operator;
/// - satisfaction: the 1–5 survey at the end of a call; average with two decimals, and how many gave each score.
/// The department, channel and service filters do not apply: a call belongs to none of them.
/// </summary>
public sealed record GetPhoneRobotFigures(ReportFilter Filter) : IQuery<PhoneRobotFigures>, IValidatable
{
    public void Validate(Validation v) => Filter.Validate(v);
}

public sealed class GetPhoneRobotFiguresHandler(UnitOfWork uow) : IQueryHandler<GetPhoneRobotFigures, PhoneRobotFigures>
{
    private const string Events = """
        SELECT t.correlation AS CallSid, t.kind AS Kind, t.facts AS Payload
        FROM timeline_events t
        WHERE t.correlation IN (SELECT correlation FROM timeline_events
                                WHERE kind = 'ivr.call_started' AND occurred_at >= @FromMs AND occurred_at < @ToMs AND correlation IS NOT NULL)
          AND t.kind IN ('ivr.call_started', 'ivr.identity_verified', 'ivr.transferred', 'ivr.callback_requested', 'ivr.message_left',
                         'ivr.call_ended', 'ivr.call_abandoned', 'ivr.survey_answered', 'ivr.answer_given')
        ORDER BY t.seq
        """;

    private sealed record Row
    {
        public string CallSid { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Payload { get; init; } = "{}";
    }

    private sealed class Call
    {
        public bool Identified, Transferred, Callback, Message, Ended;
        public string? Outcome;
        public long? Seconds;
    }

    public async ValueTask<PhoneRobotFigures> Handle(GetPhoneRobotFigures query, CancellationToken ct)
    {
        var scope = query.Filter.Scope();
        var calls = new Dictionary<string, Call>(StringComparer.Ordinal);
        var asked = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var scores = new List<int>();
        foreach (var e in await uow.QueryAsync<Row>(Events, scope.Parameters(default), ct))
        {
            if (!calls.TryGetValue(e.CallSid, out var call)) calls[e.CallSid] = call = new Call();
            using var payload = JsonDocument.Parse(e.Payload);
            var p = payload.RootElement;
            switch (e.Kind)
            {
                case "ivr.identity_verified": call.Identified = true; break;
                case "ivr.transferred":
                    call.Transferred = true;
                    Count(reasons, Text(p, "reason") ?? "unknown");
                    break;
                case "ivr.callback_requested": call.Callback = true; break;
                case "ivr.message_left": call.Message = true; break;
                case "ivr.answer_given": Count(asked, Text(p, "what") ?? "unknown"); break;
                case "ivr.survey_answered":
                    if (Number(p, "score") is >= 1 and <= 5 and var score) scores.Add((int)score);
                    break;
                case "ivr.call_ended":
                    call.Ended = true;
                    call.Outcome = Text(p, "outcome") ?? call.Outcome;
                    call.Seconds = Number(p, "durationSeconds") ?? call.Seconds;
                    break;
                case "ivr.call_abandoned":
                    call.Ended = true;
                    call.Outcome = "abandoned";
                    break;
            }
        }

        var ended = calls.Values.Count(c => c.Ended);
        var contained = calls.Values.Count(c => c.Ended && c.Outcome != "abandoned" && !c.Transferred && !c.Callback && !c.Message);
        var lengths = calls.Values.Where(c => c.Ended && c.Seconds is not null).Select(c => c.Seconds!.Value).ToList();
        var outcomes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in calls.Values) Count(outcomes, c.Ended ? c.Outcome ?? "unknown" : "in_progress");
        var distribution = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var s = 1; s <= 5; s++) distribution[s.ToString(System.Globalization.CultureInfo.InvariantCulture)] = scores.Count(x => x == s);

        return new PhoneRobotFigures(scope.From, scope.To,
            calls.Count,
            calls.Values.Count(c => c.Identified), ReportText.Percent(calls.Values.Count(c => c.Identified), calls.Count),
            ended, contained, ReportText.Percent(contained, calls.Count),
            lengths.Count == 0 ? null : ReportText.Decimals((decimal)lengths.Sum() / lengths.Count, 2),
            outcomes, asked, reasons,
            calls.Values.Count(c => c.Callback), calls.Values.Count(c => c.Message),
            scores.Count, scores.Count == 0 ? null : ReportText.Decimals((decimal)scores.Sum() / scores.Count, 2), distribution,
            scope.Department is null && scope.Channel is null && scope.Service is null ? []
                : ["The department, channel and service filters do not apply to the phone robot: every call of the range is counted."]);
    }

    private static void Count(IDictionary<string, long> counts, string key) => counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;

    private static JsonElement? Property(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object) return null;
        foreach (var p in e.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        return null;
    }

    private static string? Text(JsonElement e, string name) => Property(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    private static long? Number(JsonElement e, string name) => Property(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var n) ? n : null;
}
