using System.Text.Json.Serialization;
using CitizenCrm.Core.Pipeline;
using Mediator;

namespace CitizenCrm.Core.Revenue;

/// <summary>One obligation's position on a given day. Money in lei, exact to the ban.</summary>
public sealed record TaxObligationBalance(
    Guid ObligationId,
    string TaxKind,              // building, land, vehicle, other
    int FiscalYear,
    string Description,          // e.g. the property's address or the vehicle's plate, as the revenue system sends it
    decimal AmountDue,           // the year's tax
    decimal AmountPaid,
    decimal Outstanding,         // principal still unpaid
    decimal LateIncrease,        // increases (Law 207/2015 art. 183) up to AsOf, projected from the export
    decimal DiscountAvailable,   // early-payment discount if the whole year is paid by the first term (0 when not)
    decimal PayableNow,          // what settles it today: Outstanding + LateIncrease - DiscountAvailable
    DateOnly? NextDueDate,       // next instalment term not yet passed, after sliding off non-working days
    decimal NextInstalment,      // amount due at NextDueDate
    bool Overdue);

public sealed record TaxBalance(
    Guid CitizenId,
    DateOnly AsOf,
    DateTimeOffset CalculatedAt,
    DateOnly? LedgerExportedOn,  // as of when the revenue system's figures are
    decimal TotalPayableNow,
    IReadOnlyList<TaxObligationBalance> Obligations) : ICitizenDataResult
{
    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => [CitizenId];
}

/// <summary>A citizen's local taxes as of a day (default: today in Bucharest).</summary>
public sealed record GetTaxBalance(Guid CitizenId, DateOnly? AsOf = null) : IPersonalDataQuery<TaxBalance>;

public sealed class GetTaxBalanceHandler : IQueryHandler<GetTaxBalance, TaxBalance>
{
    // CONTRACT STUB: replaced by the revenue feature (issue 4) in this session.
    public ValueTask<TaxBalance> Handle(GetTaxBalance query, CancellationToken ct) =>
        throw new NotImplementedException("GetTaxBalance arrives with the revenue feature.");
}
