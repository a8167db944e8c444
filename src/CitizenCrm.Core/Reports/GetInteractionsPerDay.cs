using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Reports;

public sealed record InteractionsDay(DateOnly Date, string Channel, long Interactions);

public sealed record InteractionsPerDay(DateOnly From, DateOnly To, string? Department, string? Channel, string? Service,
    IReadOnlyList<string> NotCounted, IReadOnlyList<InteractionsDay> Days, IReadOnlyDictionary<string, long> TotalsByChannel, long Total) : IReportTable
{
    public IReadOnlyList<string> CsvHeader() => ["date", "channel", "interactions"];

    public IEnumerable<IReadOnlyList<string>> CsvRows() =>
        Days.Select(d => (IReadOnlyList<string>)[ReportText.Of(d.Date), d.Channel, ReportText.Of(d.Interactions)]);
}

/// <summary>
/// Interactions per channel per Bucharest day, from the timeline. An interaction is a contact between the city hall and
/// a member of the public: every timeline event except
/// - the system's own (channel system: escalations, imports, jobs);
/// - back-office steps a citizen does not see: assigning, claiming, prioritising, linking, reclassifying, starting, closing,
///   filing away, joining, attaching or refusing a document, due-soon and overdue marks, and the record keeping of
///   citizens, staff, calendars and registers;
/// - the second event of one contact: an e-mail or a volunteer's request that registers a case is its case.registered;
/// - the notices sent to citizens (the notifications report counts those);
/// - the steps of a call to the phone robot after its start: a call counts once, on the day of its first event in the
///   range (its call id groups its events), in channel ivr.
/// Kinds added later by other features count unless they are listed here (<see cref="InteractionEvents"/>).
/// Days with no interaction are left out. With a department or a service filter only events of a case of that
/// department or service count (a call to the robot belongs to no department).
/// </summary>
public sealed record GetInteractionsPerDay(ReportFilter Filter) : IQuery<InteractionsPerDay>, IValidatable
{
    public void Validate(Validation v) => Filter.Validate(v);
}

/// <summary>What counts as an interaction, shared by the report and the nightly snapshot so they agree.</summary>
public static class InteractionEvents
{
    /// <summary>The kinds (or prefixes, with *) that are not contacts with the public.</summary>
    public static readonly IReadOnlyList<string> NotCounted =
    [
        "channel system", "case.assigned", "case.started", "case.closed", "case.filed", "case.joined", "case.document_attached",
        "case.due_soon", "case.overdue", "case.claimed", "case.priority_set", "case.linked_to_citizen", "case.reclassified",
        "case.attachment_refused", "case.internal_note (between colleagues)", "case.email_received (its case.registered counts)", "case.registered_on_behalf (its case.registered counts)",
        "notification.* (the notifications report counts them)", "citizen.*", "staff.*", "calendar.*", "registry.*", "phone.*",
        "ivr.* (a call counts once)",
    ];

    /// <summary>Events other than the robot's calls that count (alias t).</summary>
    public const string Contact = """
        t.channel <> 'system' AND t.kind NOT LIKE 'ivr.%'
          AND t.kind NOT IN ('case.assigned', 'case.started', 'case.closed', 'case.filed', 'case.joined', 'case.document_attached', 'case.due_soon', 'case.overdue',
                             'case.claimed', 'case.priority_set', 'case.linked_to_citizen', 'case.reclassified', 'case.attachment_refused',
                             'case.internal_note', 'case.email_received', 'case.registered_on_behalf')
          AND t.kind NOT LIKE 'citizen.%' AND t.kind NOT LIKE 'staff.%' AND t.kind NOT LIKE 'calendar.%'
          AND t.kind NOT LIKE 'registry.%' AND t.kind NOT LIKE 'phone.%' AND t.kind NOT LIKE 'notification.%'
        """;

    /// <summary>The robot's calls of the range, one row per call with the instant of its first event in the range.</summary>
    public const string Calls = """
        SELECT t.correlation AS CallSid, MIN(t.occurred_at) AS FirstAt
        FROM timeline_events t
        WHERE t.occurred_at >= @FromMs AND t.occurred_at < @ToMs AND t.kind LIKE 'ivr.%' AND t.correlation IS NOT NULL
        GROUP BY t.correlation
        """;
}

public sealed class GetInteractionsPerDayHandler(UnitOfWork uow) : IQueryHandler<GetInteractionsPerDay, InteractionsPerDay>
{
    // Grouped by UTC hour in SQL, turned into Bucharest days here: Bucharest's offset is a whole number of hours (+2, +3),
    // so every UTC hour lies within one Bucharest day, and the database sends at most 24 rows per channel and day.
    private const string PerHour = """
        SELECT t.channel AS Channel, t.occurred_at / 3600000 AS Hour, COUNT(*) AS Interactions
        FROM timeline_events t
        LEFT JOIN cases c ON c.id = t.case_id
        LEFT JOIN service_categories s ON s.code = c.category_code
        WHERE t.occurred_at >= @FromMs AND t.occurred_at < @ToMs AND 
        """ + InteractionEvents.Contact + """
          AND (@Channel IS NULL OR t.channel = @Channel)
          AND (@Department IS NULL OR COALESCE(c.assigned_department, s.department) = @Department)
          AND (@Service IS NULL OR c.category_code = @Service)
        GROUP BY t.channel, t.occurred_at / 3600000
        UNION ALL
        SELECT 'ivr' AS Channel, calls.FirstAt / 3600000 AS Hour, COUNT(*) AS Interactions
        FROM (
        """ + InteractionEvents.Calls + """
        ) calls
        WHERE (@Channel IS NULL OR @Channel = 'ivr') AND @Department IS NULL AND @Service IS NULL
        GROUP BY calls.FirstAt / 3600000
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
            InteractionEvents.NotCounted, days, totals, totals.Values.Sum());
    }
}
