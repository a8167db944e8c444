using System.Text.Json.Serialization;
using CitizenCrm.Core.Pipeline;
using Mediator;

namespace CitizenCrm.Core.Cases;

public sealed record CitizenCaseLookup(Guid CitizenId, CaseStatusView? Case) : ICitizenDataResult
{
    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => Case is null ? [] : [CitizenId];
}

/// <summary>
/// A case by its registration number (year optional: the latest year that has that number for this citizen),
/// answered only when its party is this citizen: a number belonging to someone else reads as not found.
/// </summary>
public sealed record FindCitizenCaseByNumber(Guid CitizenId, int Number, int? Year) : IPersonalDataQuery<CitizenCaseLookup>;

public sealed class FindCitizenCaseByNumberHandler : IQueryHandler<FindCitizenCaseByNumber, CitizenCaseLookup>
{
    // CONTRACT STUB: replaced by the registry feature (issue 4) in this session.
    public ValueTask<CitizenCaseLookup> Handle(FindCitizenCaseByNumber query, CancellationToken ct) =>
        throw new NotImplementedException("FindCitizenCaseByNumber arrives with the registry feature.");
}
