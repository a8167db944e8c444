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

public sealed record CaseQueue(DateOnly Today, IReadOnlyList<CaseQueueItem> Cases) : ICitizenDataResult
{
    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => Cases.Where(c => c.CitizenId is not null).Select(c => c.CitizenId!.Value);
}

/// <summary>
/// The dispatchers' queue of registry cases: open cases due within N days (overdue ones included, first),
/// or with Overdue only those already late. Ordered by due date, oldest first.
/// </summary>
public sealed record GetCaseQueue(int? DueWithinDays, bool Overdue = false, int? Limit = null) : IPersonalDataQuery<CaseQueue>, IValidatable
{
    public void Validate(Validation v)
    {
        if (DueWithinDays is < 0 or > 366) v.Add("dueWithinDays", "dueWithinDays must be between 0 and 366.");
        if (Limit is < 1 or > 1000) v.Add("limit", "limit must be between 1 and 1000.");
    }
}

public sealed class GetCaseQueueHandler(UnitOfWork uow, TimeProvider clock, IOptions<RegistryOptions> options) : IQueryHandler<GetCaseQueue, CaseQueue>
{
    private string Sql => "SELECT " + CaseRow.Columns + CaseRow.From +
        "WHERE c.status IN " + CaseStatuses.OpenSql + " AND c.due_on IS NOT NULL AND c.due_on <= @Until " +
        "ORDER BY c.due_on, c.year, c.number " + uow.Dialect.LimitClause;

    public async ValueTask<CaseQueue> Handle(GetCaseQueue query, CancellationToken ct)
    {
        var today = Calendar.Today(clock);
        var until = query.Overdue ? today.AddDays(-1) : today.AddDays(query.DueWithinDays ?? options.Value.QueueDefaultDays);
        var rows = await uow.QueryAsync<CaseRow>(Sql, new { Until = until, Limit = query.Limit ?? 200 }, ct);
        return new CaseQueue(today, rows.Select(r => new CaseQueueItem(r.Id, r.RegistrationNumber, r.Kind, r.Status, r.Subject, r.PartyName,
            r.AssignedDepartment, r.AssignedTo, r.RegisteredOn, r.DueOn!.Value, r.DueOn.Value.DayNumber - today.DayNumber, today > r.DueOn.Value,
            r.CitizenId)).ToList());
    }
}
