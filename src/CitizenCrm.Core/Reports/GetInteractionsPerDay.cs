using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Reports;

public sealed record InteractionsDay(DateOnly Date, string Channel, long Interactions);

public sealed record InteractionsPerDay(DateOnly From, DateOnly To, string? Department, string? Channel, string? Service,
    IReadOnlyList<string> Counted, IReadOnlyList<InteractionsDay> Days, IReadOnlyDictionary<string, long> TotalsByChannel, long Total) : IReportTable
{
    public IReadOnlyList<string> CsvHeader() => ["date", "channel", "interactions"];

    public IEnumerable<IReadOnlyList<string>> CsvRows() =>
        Days.Select(d => (IReadOnlyList<string>)[ReportText.Of(d.Date), d.Channel, ReportText.Of(d.Interactions)]);
}

/// <summary>
/// Interactions per channel per Bucharest day, from the timeline. An interaction is a contact between the city hall and
/// a member of the public, not the back-office work on it: a request registered, an answer or a refusal sent, a call
/// to the phone robot (counted once, when it starts, not per question), and a contact logged by a clerk
/// (interaction.*). Assigning, starting, escalating are not interactions. Days with no interaction are left out.
/// With a department or a service filter only events of a case of that department or service count (a call to the
/// robot belongs to no department).
/// </summary>
public sealed record GetInteractionsPerDay(ReportFilter Filter) : IQuery<InteractionsPerDay>, IValidatable
{
    /// <summary>The timeline kinds counted; interaction.* (LogInteraction) is matched by prefix.</summary>
    public static readonly IReadOnlyList<string> CountedKinds = ["case.registered", "case.answered", "case.rejected", "ivr.call_started", "interaction.*"];

    public void Validate(Validation v) => Filter.Validate(v);
}

public sealed class GetInteractionsPerDayHandler(UnitOfWork uow) : IQueryHandler<GetInteractionsPerDay, InteractionsPerDay>
{
    // Grouped by UTC hour in SQL, turned into Bucharest days here: Bucharest's offset is a whole number of hours (+2, +3),
    // so every UTC hour lies within one Bucharest day, and the database sends at most 24 rows per channel and day.
    private const string PerHour = """
        SELECT t.channel AS Channel, t.occurred_at / 3600000 AS Hour, COUNT(*) AS Interactions
        FROM timeline t
        LEFT JOIN cases c ON c.id = t.case_id
        LEFT JOIN service_categories s ON s.code = c.category_code
        WHERE t.occurred_at >= @FromMs AND t.occurred_at < @ToMs
          AND (t.kind IN ('case.registered', 'case.answered', 'case.rejected', 'ivr.call_started') OR t.kind LIKE 'interaction.%')
          AND (@Channel IS NULL OR t.channel = @Channel)
          AND (@Department IS NULL OR COALESCE(c.assigned_department, s.department) = @Department)
          AND (@Service IS NULL OR c.category_code = @Service)
        GROUP BY t.channel, t.occurred_at / 3600000
        """;

    private sealed record Row
    {
        public string Channel { get; init; } = "";
        public long Hour { get; init; }
        public long Interactions { get; init; }
    }

    public async ValueTask<InteractionsPerDay> Handle(GetInteractionsPerDay query, CancellationToken ct)
    {
        var scope = query.Filter.Scope();
        await scope.EnsureServiceKnownAsync(uow, ct);
        var rows = await uow.QueryAsync<Row>(PerHour, scope.Parameters(default), ct);
        var days = rows
            .GroupBy(r => (Date: Calendar.LocalDate(Calendar.FromMs(r.Hour * 3_600_000)), r.Channel))
            .Select(g => new InteractionsDay(g.Key.Date, g.Key.Channel, g.Sum(r => r.Interactions)))
            .OrderBy(d => d.Date).ThenBy(d => d.Channel, StringComparer.Ordinal)
            .ToList();
        var totals = days.GroupBy(d => d.Channel).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(d => d.Interactions));
        return new InteractionsPerDay(scope.From, scope.To, scope.Department, scope.Channel, scope.Service,
            GetInteractionsPerDay.CountedKinds, days, totals, totals.Values.Sum());
    }
}
