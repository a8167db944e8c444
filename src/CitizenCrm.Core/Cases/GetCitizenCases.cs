using System.Text.Json.Serialization;
using CitizenCrm.Core.Pipeline;
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

public sealed class GetCitizenCasesHandler : IQueryHandler<GetCitizenCases, CitizenCases>
{
    // CONTRACT STUB: replaced by the registry feature (issue 4) in this session.
    public ValueTask<CitizenCases> Handle(GetCitizenCases query, CancellationToken ct) =>
        throw new NotImplementedException("GetCitizenCases arrives with the registry feature.");
}
