using CultureInfo = System.Globalization.CultureInfo;
using DateTimeStyles = System.Globalization.DateTimeStyles;
using NumberStyles = System.Globalization.NumberStyles;
using System.Text.Json.Serialization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Cases;

public sealed record CaseQueueItem(
    Guid CaseId, string RegistrationNumber, string Kind, string Status, string Subject, string PartyName,
    string? AssignedDepartment, string? AssignedTo, DateOnly RegisteredOn, DateOnly DueOn, int DaysLeft, bool Late,
    [property: JsonIgnore] Guid? CitizenId);

/// <summary>One page of the queue, with how many cases match in all (<see cref="Total"/>).</summary>
public sealed record CaseQueue(DateOnly Today, IReadOnlyList<CaseQueueItem> Items, long Total, string? NextCursor) : ICitizenDataResult, IPage
{
    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => Items.Where(c => c.CitizenId is not null).Select(c => c.CitizenId!.Value);
}

/// <summary>
/// The dispatchers' queue of registry cases: open cases due within N days (overdue ones included, first),
/// or with Overdue only those already late. Ordered by due date, oldest first, then by the case's id, so the
/// order is total and a page can start exactly after the last case of the previous one: the cursor is
/// (due date, id). No case hides behind a cut-off: every page says how many match in all.
/// </summary>
public sealed record GetCaseQueue(int? DueWithinDays, bool Overdue = false, int? Limit = null, string? Cursor = null)
    : IPersonalDataQuery<CaseQueue>, IValidatable
{
    internal const string CursorName = "case-queue";

    public void Validate(Validation v)
    {
        if (DueWithinDays is < 0 or > 366) v.Add("dueWithinDays", "dueWithinDays must be between 0 and 366.");
        Paging.ValidateLimit(v, Limit);
        After(v);
    }

    /// <summary>The (due date, id) of the last case already shown.</summary>
    internal (DateOnly DueOn, Guid Id)? After(Validation v)
    {
        if (Paging.Decode(v, Cursor, CursorName, 2) is not { } key) return null;
        if (DateOnly.TryParseExact(key[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due) && Guid.TryParse(key[1], out var id))
            return (due, id);
        Paging.Refuse(v);
        return null;
    }
}

public sealed class GetCaseQueueHandler(UnitOfWork uow, TimeProvider clock, IOptions<RegistryOptions> options) : IQueryHandler<GetCaseQueue, CaseQueue>
{
    private const string Matching = " WHERE c.status IN " + CaseStatuses.OpenSql + " AND c.due_on IS NOT NULL AND c.due_on <= @Until";
    // (due_on, id) > (@AfterDue, @AfterId), spelt out: SQL Server has no row-value comparison (DESIGN.md, Traps).
    private const string AfterCursor = " AND (c.due_on > @AfterDue OR (c.due_on = @AfterDue AND c.id > @AfterId))";
    private const string Count = "SELECT COUNT(*) FROM cases c" + Matching;

    private string Page(bool after) => "SELECT " + CaseRow.Columns + CaseRow.From + Matching + (after ? AfterCursor : "") +
        " ORDER BY c.due_on, c.id " + uow.Dialect.LimitClause;

    public async ValueTask<CaseQueue> Handle(GetCaseQueue query, CancellationToken ct)
    {
        var today = Calendar.Today(clock);
        var until = query.Overdue ? today.AddDays(-1) : today.AddDays(query.DueWithinDays ?? options.Value.QueueDefaultDays);
        var after = query.After(new Validation());
        var take = Paging.Take(query.Limit);
        var rows = await uow.QueryAsync<CaseRow>(Page(after is not null),
            new { Until = until, AfterDue = after?.DueOn, AfterId = after?.Id, Limit = take + 1 }, ct);
        var total = await uow.ExecuteScalarAsync<long>(Count, new { Until = until }, ct);
        var items = rows.Take(take).Select(r => new CaseQueueItem(r.Id, r.RegistrationNumber, r.Kind, r.Status, r.Subject, r.PartyName,
            r.AssignedDepartment, r.AssignedTo, r.RegisteredOn, r.DueOn!.Value, r.DueOn.Value.DayNumber - today.DayNumber, today > r.DueOn.Value,
            r.CitizenId)).ToList();
        var next = rows.Count > take
            ? Paging.Encode(GetCaseQueue.CursorName, items[^1].DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), items[^1].CaseId.ToString())
            : null;
        return new CaseQueue(today, items, total, next);
    }
}
