using System.Text.Json.Serialization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>One case as a citizen hears or reads its status (phone robot, receipts, the clerk's list).</summary>
public sealed record CaseStatusView(
    Guid CaseId,
    string RegistrationNumber,   // "1234/2026"
    int Number,
    int Year,
    string Kind,                 // petition, information_request, service_request
    string Status,               // registered, assigned, in_progress, answered, closed, forwarded, joined, filed, rejected
    string Subject,
    DateOnly RegisteredOn,       // Bucharest calendar date
    DateOnly? DueOn,             // statutory deadline; null where none runs (filed away, closed)
    int? DaysLeft,               // negative when late
    bool Late,
    DateOnly? AnsweredOn);

public sealed record CitizenCases(Guid CitizenId, IReadOnlyList<CaseStatusView> Cases) : ICitizenDataResult
{
    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => [CitizenId];
}

/// <summary>The cases whose party is this citizen, newest first; with OpenOnly, those not yet answered or closed.</summary>
public sealed record GetCitizenCases(Guid CitizenId, bool OpenOnly) : IPersonalDataQuery<CitizenCases>;

public sealed class GetCitizenCasesHandler(UnitOfWork uow, TimeProvider clock) : IQueryHandler<GetCitizenCases, CitizenCases>
{
    private const string CitizenExists = "SELECT COUNT(*) FROM citizens WHERE id = @Id";
    private const string All = "SELECT " + CaseRow.Columns + CaseRow.From +
        "WHERE c.citizen_id = @Id ORDER BY c.registered_at DESC, c.year DESC, c.number DESC";
    private const string Open = "SELECT " + CaseRow.Columns + CaseRow.From +
        "WHERE c.citizen_id = @Id AND c.status IN " + CaseStatuses.OpenSql + " ORDER BY c.registered_at DESC, c.year DESC, c.number DESC";

    public async ValueTask<CitizenCases> Handle(GetCitizenCases query, CancellationToken ct)
    {
        if (await uow.ExecuteScalarAsync<long>(CitizenExists, new { Id = query.CitizenId }, ct) == 0)
            throw new NotFoundException("citizen", query.CitizenId);
        var today = Calendar.Today(clock);
        var rows = await uow.QueryAsync<CaseRow>(query.OpenOnly ? Open : All, new { Id = query.CitizenId }, ct);
        return new CitizenCases(query.CitizenId, rows.Select(r => r.ToStatusView(today)).ToList());
    }
}
