using System.Text.Json.Serialization;
using CitizenCrm.Core.Pipeline;
using Mediator;

namespace CitizenCrm.Core.Revenue;

public sealed record UnpaidFine(
    Guid FineId,
    string ReportNumber,         // the offence report (proces-verbal) number
    DateOnly HandedOverOn,
    string LegalBasis,
    decimal AmountApplied,
    decimal AmountPaid,
    decimal Outstanding,
    decimal? HalfMinimumAmount,  // what settles it while the 15 days run (OG 2/2001 art. 28); null when no discount applies
    DateOnly? HalfMinimumDeadline); // last day to pay HalfMinimumAmount; null once passed or when none applies

public sealed record UnpaidFines(Guid CitizenId, DateOnly AsOf, int Count, decimal TotalOutstanding, IReadOnlyList<UnpaidFine> Fines) : ICitizenDataResult
{
    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => [CitizenId];
}

public sealed record GetUnpaidFines(Guid CitizenId, DateOnly? AsOf = null) : IPersonalDataQuery<UnpaidFines>;

public sealed class GetUnpaidFinesHandler : IQueryHandler<GetUnpaidFines, UnpaidFines>
{
    // CONTRACT STUB: replaced by the revenue feature (issue 4) in this session.
    public ValueTask<UnpaidFines> Handle(GetUnpaidFines query, CancellationToken ct) =>
        throw new NotImplementedException("GetUnpaidFines arrives with the revenue feature.");
}
