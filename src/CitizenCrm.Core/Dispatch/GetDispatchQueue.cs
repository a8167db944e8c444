using CultureInfo = System.Globalization.CultureInfo;
using DateTimeStyles = System.Globalization.DateTimeStyles;
using NumberStyles = System.Globalization.NumberStyles;
using System.Text;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Dispatch;

/// <summary>
/// The dispatchers' one list of everything that waits for a person: open cases from every channel (unmatched ones
/// flagged), callers waiting for an operator, callback and message requests the phone robot took, and notifications
/// the outbox gave up on.
///
/// Order: callers on the line first (they are waiting now and hang up otherwise); then by time left to the term,
/// least first (overdue cases on top); items with no term (callbacks, messages, failed notifications) are due at once,
/// so they sort as due today; then by priority, highest first; then oldest first; then by id, so the order is total
/// and a page starts exactly after the previous one (keyset, never OFFSET).
///
/// Filters: department, status, channel, kind, service, assignee (me, unassigned, anyone, or a username), overdue,
/// due within N days, unmatched. The filters on the term (overdue, dueWithinDays) keep only items that have a term.
/// </summary>
public sealed record GetDispatchQueue(
    string? Department = null, string? Status = null, string? Channel = null, string? Kind = null, string? Service = null,
    string? Assignee = null, bool? Overdue = null, int? DueWithinDays = null, bool? Unmatched = null,
    int? Limit = null, string? Cursor = null) : IPersonalDataQuery<DispatchQueue>, IValidatable
{
    internal const string CursorName = "dispatch-queue";
    public const string Me = "me", Unassigned = "unassigned", Anyone = "anyone";

    public void Validate(Validation v)
    {
        v.MaxLength("department", Department, 200, "The department");
        if (Status is not null && !ItemStatuses.All.Contains(Status))
            v.Add("status", $"Unknown status '{Status}'. Use one of: {string.Join(", ", ItemStatuses.All)}.");
        if (Channel is not null && !ItemChannels.All.Contains(Channel))
            v.Add("channel", $"Unknown channel '{Channel}'. Use one of: {string.Join(", ", ItemChannels.All)}.");
        if (Kind is not null && !ItemKinds.All.Contains(Kind))
            v.Add("kind", $"Unknown kind '{Kind}'. Use one of: {string.Join(", ", ItemKinds.All)}.");
        v.MaxLength("service", Service, 40, "The service");
        if (Assignee is not null && (Assignee.Trim().Length is 0 or > 64))
            v.Add("assignee", "The assignee is 'me', 'unassigned', 'anyone' or a staff username (at most 64 characters).");
        if (DueWithinDays is < 0 or > 366) v.Add("dueWithinDays", "dueWithinDays must be between 0 and 366.");
        Paging.ValidateLimit(v, Limit);
        After(v);
    }

    internal sealed record Key(int Rank, DateOnly SortDue, int Priority, long ArrivedAt, string Id);

    /// <summary>The sort key of the last item already shown: (rank, due, priority, arrival, id).</summary>
    internal Key? After(Validation v)
    {
        if (Paging.Decode(v, Cursor, CursorName, 5) is not { } k) return null;
        var ci = CultureInfo.InvariantCulture;
        if (int.TryParse(k[0], NumberStyles.None, ci, out var rank) &&
            DateOnly.TryParseExact(k[1], "yyyy-MM-dd", ci, DateTimeStyles.None, out var due) &&
            int.TryParse(k[2], NumberStyles.None, ci, out var priority) &&
            long.TryParse(k[3], NumberStyles.None, ci, out var at) && k[4].Length is > 0 and <= 64)
            return new Key(rank, due, priority, at, k[4]);
        Paging.Refuse(v);
        return null;
    }
}

public sealed class GetDispatchQueueHandler(UnitOfWork uow, TimeProvider clock, RequestContext context) : IQueryHandler<GetDispatchQueue, DispatchQueue>
{
    // Each source answers the same columns. SortRank 0 = a caller on the line; SortDue is the term, or today for
    // an item that has none (due at once). Names are composed in C#: SQL Server spells concatenation differently.
    // An item's Id is a case's or a notice's uuid or a call's CallSid: one text column (PostgreSQL unions no uuid with text).
    private const string OpenCases = """
        SELECT 1 AS SortRank, c.kind AS ItemKind, CAST(c.id AS VARCHAR(64)) AS Id, c.id AS CaseId, c.channel AS Channel, c.status AS Status,
               c.number AS Number, c.year AS Year, c.subject AS Subject, c.party_kind AS PartyKind, c.citizen_id AS CitizenId,
               ci.first_name AS FirstName, ci.last_name AS LastName, c.organisation_name AS OrganisationName,
               c.contact_name AS OtherName, CASE WHEN c.party_kind = 'contact' THEN 1 ELSE 0 END AS Unmatched,
               c.category_code AS Service, COALESCE(c.assigned_department, sc.department) AS Department, c.assigned_to AS AssignedTo,
               c.due_on AS DueOn, COALESCE(c.due_on, @Today) AS SortDue, c.priority AS Priority, c.registered_at AS ArrivedAt,
               CASE WHEN c.escalation_due_on = c.due_on THEN c.escalation END AS Escalation, c.version AS Version
        FROM cases c LEFT JOIN citizens ci ON ci.id = c.citizen_id LEFT JOIN service_categories sc ON sc.code = c.category_code
        WHERE c.status IN 
        """ + CaseStatuses.OpenSql;

    private const string WaitingCallers = """
        SELECT 0, 'caller_waiting', k.call_sid, NULL, 'phone', 'waiting', NULL, NULL, k.wait_reason,
               CASE WHEN k.citizen_id IS NULL THEN 'unidentified' ELSE 'citizen' END, k.citizen_id,
               ci.first_name, ci.last_name, NULL, k.caller_masked, 0, NULL, NULL, NULL,
               NULL, @Today, 1, COALESCE(k.waiting_since, k.started_at), NULL, NULL
        FROM ivr_calls k LEFT JOIN citizens ci ON ci.id = k.citizen_id
        WHERE k.status = 'waiting'
        """;

    private const string PhoneRequests = """
        SELECT 1, r.kind, CAST(r.id AS VARCHAR(64)), NULL, 'ivr', 'open', NULL, NULL, r.reason,
               CASE WHEN r.citizen_id IS NULL THEN 'unidentified' ELSE 'citizen' END, r.citizen_id,
               ci.first_name, ci.last_name, NULL, r.caller_masked, 0, NULL, NULL, NULL,
               NULL, @Today, 1, r.created_at, NULL, NULL
        FROM phone_requests r LEFT JOIN citizens ci ON ci.id = r.citizen_id
        WHERE r.handled_at IS NULL
        """;

    // The notifications helper's outbox (COMMON.md contract): only read, and only once the table exists.
    // A failed notice is about its case (when it has one): that case's number, party, department and assignee.
    private const string FailedNotifications = """
        SELECT 1, 'failed_notification', CAST(n.id AS VARCHAR(64)), n.case_id, n.channel, 'failed', c.number, c.year, n.kind,
               COALESCE(c.party_kind, 'citizen'), COALESCE(n.citizen_id, c.citizen_id),
               ci.first_name, ci.last_name, c.organisation_name, c.contact_name, 0, c.category_code,
               c.assigned_department, c.assigned_to, NULL, @Today, COALESCE(c.priority, 1), COALESCE(n.failed_at, n.created_at), NULL, NULL
        FROM notifications n LEFT JOIN cases c ON c.id = n.case_id LEFT JOIN citizens ci ON ci.id = COALESCE(n.citizen_id, c.citizen_id)
        WHERE n.status = 'failed'
        """;

    // (rank, due, priority DESC, arrival, id) > the cursor's, spelt out: SQL Server has no row-value comparison (DESIGN.md, Traps).
    private const string AfterCursor = """
         AND (q.SortRank > @AfterRank OR (q.SortRank = @AfterRank AND (q.SortDue > @AfterDue OR (q.SortDue = @AfterDue AND
              (q.Priority < @AfterPriority OR (q.Priority = @AfterPriority AND (q.ArrivedAt > @AfterAt OR (q.ArrivedAt = @AfterAt AND q.Id > @AfterId))))))))
        """;

    private const string Order = " ORDER BY q.SortRank, q.SortDue, q.Priority DESC, q.ArrivedAt, q.Id ";

    internal sealed record Row
    {
        public long SortRank { get; init; }
        public string ItemKind { get; init; } = "";
        public string Id { get; init; } = "";
        public Guid? CaseId { get; init; }
        public string Channel { get; init; } = "";
        public string Status { get; init; } = "";
        public long? Number { get; init; }
        public long? Year { get; init; }
        public string? Subject { get; init; }
        public string PartyKind { get; init; } = "";
        public Guid? CitizenId { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? OrganisationName { get; init; }
        public string? OtherName { get; init; }
        public long Unmatched { get; init; }
        public string? Service { get; init; }
        public string? Department { get; init; }
        public string? AssignedTo { get; init; }
        public DateOnly? DueOn { get; init; }
        public DateOnly SortDue { get; init; }
        public long Priority { get; init; }
        public long ArrivedAt { get; init; }
        public string? Escalation { get; init; }
        public long? Version { get; init; }

        public string? PartyName => PartyKind switch
        {
            PartyKinds.Citizen => $"{FirstName} {LastName}".Trim(),
            PartyKinds.Organisation => OrganisationName,
            PartyKinds.Anonymous => "Anonim",
            _ => OtherName,
        };
    }

    private const string ServiceKnown = "SELECT COUNT(*) FROM service_categories WHERE code = @Code";
    private const string UserKnown = "SELECT COUNT(*) FROM staff_users WHERE username = @Username";

    public async ValueTask<DispatchQueue> Handle(GetDispatchQueue query, CancellationToken ct)
    {
        // An empty list must mean "nothing waits", never "no such service" or "no such colleague".
        if (query.Service?.Trim().ToLowerInvariant() is { } service &&
            await uow.ExecuteScalarAsync<long>(ServiceKnown, new { Code = service }, ct) == 0)
            throw ValidationFailedException.For("service", $"There is no service '{service}' in the catalogue (GET /api/catalogue/services lists them).");
        if (query.Assignee?.Trim().ToLowerInvariant() is { } who && who is not (GetDispatchQueue.Anyone or GetDispatchQueue.Unassigned or GetDispatchQueue.Me) &&
            await uow.ExecuteScalarAsync<long>(UserKnown, new { Username = who }, ct) == 0)
            throw ValidationFailedException.For("assignee", $"There is no staff user '{who}'. Give me, unassigned, anyone or a username.");
        var today = Calendar.Today(clock);
        var (sql, count, parameters) = Build(query, today);
        var rows = await uow.QueryAsync<Row>(sql, parameters, ct);
        var total = await uow.ExecuteScalarAsync<long>(count, parameters, ct);
        var take = Paging.Take(query.Limit);
        var items = await WithMapDetailsAsync(rows.Take(take).Select(r => ToItem(r, today)).ToList(), ct);
        string? next = null;
        if (rows.Count > take)
        {
            var last = rows[take - 1];
            var ci = CultureInfo.InvariantCulture;
            next = Paging.Encode(GetDispatchQueue.CursorName, last.SortRank.ToString(ci), last.SortDue.ToString("yyyy-MM-dd", ci),
                last.Priority.ToString(ci), last.ArrivedAt.ToString(ci), last.Id);
        }
        return new DispatchQueue(today, items, total, next);
    }

    // Issue 11: a map report's place and possible duplicate, read for the cases of this page only (the queue's union stays as it was).
    private const string MapDetails = """
        SELECT l.case_id AS CaseId, l.latitude AS Latitude, l.longitude AS Longitude, l.address_string AS AddressString,
               r.possible_duplicate_of AS DuplicateOf, d.number AS DuplicateNumber, d.year AS DuplicateYear
        FROM case_locations l LEFT JOIN map_reports r ON r.case_id = l.case_id LEFT JOIN cases d ON d.id = r.possible_duplicate_of
        WHERE l.case_id IN @Ids
        """;

    private sealed record MapDetailRow
    {
        public Guid CaseId { get; init; }
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
        public string? AddressString { get; init; }
        public Guid? DuplicateOf { get; init; }
        public long? DuplicateNumber { get; init; }
        public long? DuplicateYear { get; init; }
    }

    private async Task<List<DispatchItem>> WithMapDetailsAsync(List<DispatchItem> items, CancellationToken ct)
    {
        var ids = items.Where(i => i.CaseId is not null).Select(i => i.CaseId!.Value).Distinct().ToList();
        if (ids.Count == 0) return items;
        var details = (await uow.QueryAsync<MapDetailRow>(MapDetails, new { Ids = ids }, ct)).ToDictionary(d => d.CaseId);
        return items.Select(i => i.CaseId is { } id && details.TryGetValue(id, out var d)
            ? i with
            {
                Location = new IncidentLocation(d.Latitude, d.Longitude, d.AddressString),
                PossibleDuplicateOf = d.DuplicateOf is { } of ? new PossibleDuplicate(of, $"{d.DuplicateNumber}/{d.DuplicateYear}") : null,
            }
            : i).ToList();
    }

    // Ids are shown in one spelling (lower-case GUIDs, as everywhere in the API); the cursor keeps the stored one it compares.
    internal static DispatchItem ToItem(Row r, DateOnly today) => new(
        r.ItemKind, Guid.TryParse(r.Id, out var guid) ? guid.ToString() : r.Id, r.CaseId, r.Channel, r.Status,
        r.Number is { } n ? $"{n}/{r.Year}" : null, r.Subject, r.PartyKind, r.PartyName, r.Unmatched == 1, r.Service,
        r.Department, r.AssignedTo, r.DueOn, r.DueOn is { } due ? due.DayNumber - today.DayNumber : null, r.DueOn is { } d && d < today,
        Priorities.FromNumber(r.Priority), r.Escalation, Calendar.FromMs(r.ArrivedAt), (int?)r.Version, r.CitizenId);

    private (string Page, string Count, object Parameters) Build(GetDispatchQueue q, DateOnly today)
    {
        var sources = new StringBuilder(OpenCases).Append(" UNION ALL ").Append(WaitingCallers).Append(" UNION ALL ").Append(PhoneRequests)
            .Append(" UNION ALL ").Append(FailedNotifications);

        var where = new StringBuilder(" WHERE 1 = 1");
        if (q.Department is not null) where.Append(" AND q.Department = @Department");
        if (q.Status is not null) where.Append(" AND q.Status = @Status");
        if (q.Channel is not null) where.Append(" AND q.Channel = @Channel");
        if (q.Kind is not null) where.Append(" AND q.ItemKind = @Kind");
        if (q.Service is not null) where.Append(" AND q.Service = @Service");
        var assignee = q.Assignee?.Trim().ToLowerInvariant();
        string? assignedTo = null;
        switch (assignee)
        {
            case null or GetDispatchQueue.Anyone: break;
            case GetDispatchQueue.Unassigned: where.Append(" AND q.AssignedTo IS NULL"); break;
            case GetDispatchQueue.Me:
                assignedTo = context.Staff?.Username ?? context.Actor;
                where.Append(" AND q.AssignedTo = @AssignedTo");
                break;
            default:
                assignedTo = assignee;
                where.Append(" AND q.AssignedTo = @AssignedTo");
                break;
        }
        if (q.Overdue == true) where.Append(" AND q.DueOn < @Today");
        if (q.Overdue == false) where.Append(" AND (q.DueOn IS NULL OR q.DueOn >= @Today)");
        if (q.DueWithinDays is not null) where.Append(" AND q.DueOn <= @Until");
        if (q.Unmatched is { } unmatched) where.Append(unmatched ? " AND q.Unmatched = 1" : " AND q.Unmatched = 0");

        var after = q.After(new Validation());
        var from = " FROM (" + sources + ") q" + where;
        var page = "SELECT q.*" + from + (after is null ? "" : AfterCursor) + Order + uow.Dialect.LimitClause;
        var count = "SELECT COUNT(*)" + from;
        return (page, count, new
        {
            Today = today,
            q.Department, q.Status, q.Channel, q.Kind,
            Service = q.Service?.Trim().ToLowerInvariant(),
            AssignedTo = assignedTo,
            Until = today.AddDays(q.DueWithinDays ?? 0),
            AfterRank = after?.Rank, AfterDue = after?.SortDue, AfterPriority = after?.Priority, AfterAt = after?.ArrivedAt, AfterId = after?.Id,
            Limit = Paging.Take(q.Limit) + 1,
        });
    }
}
