using System.Text.Json.Serialization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Holidays;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Microsoft.Extensions.Options;
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

public sealed class GetTaxBalanceHandler(UnitOfWork uow, TimeProvider clock, IOptions<RevenueOptions> options)
    : IQueryHandler<GetTaxBalance, TaxBalance>
{
    private const string CitizenExists = "SELECT COUNT(*) FROM citizens WHERE id = @CitizenId";

    // All the years that still owe something or are the year asked about: the 50-lei rule and the discount need every
    // obligation of a kind in a year, so whole years are loaded, never single rows.
    private const string Obligations = $"""
        SELECT {TaxObligationRow.Columns}
        FROM tax_obligations
        WHERE citizen_id = @CitizenId
          AND fiscal_year <= @Year
          AND fiscal_year IN (SELECT fiscal_year FROM tax_obligations
                              WHERE citizen_id = @CitizenId
                                AND (fiscal_year = @Year OR amount_paid < amount_due OR COALESCE(increases, 0) > 0))
        ORDER BY fiscal_year, tax_kind, description, source_ref
        """;

    public async ValueTask<TaxBalance> Handle(GetTaxBalance query, CancellationToken ct)
    {
        if (await uow.ExecuteScalarAsync<long>(CitizenExists, new { query.CitizenId }, ct) == 0)
            throw new NotFoundException("citizen", query.CitizenId);
        var now = clock.GetUtcNow();
        var asOf = query.AsOf ?? Calendar.Today(clock);
        var rows = await uow.QueryAsync<TaxObligationRow>(Obligations, new { query.CitizenId, Year = asOf.Year }, ct);
        var lines = rows.Select(r => r.ToLine()).ToList();

        var fromYear = lines.Count == 0 ? asOf.Year : Math.Min(lines.Min(l => l.FiscalYear), asOf.Year);
        var workingDays = await WorkingDays.LoadAsync(uow, fromYear, asOf.Year + 1, ct);
        options.Value.Check();
        var balances = new TaxRules(options.Value, workingDays).Balances(lines, asOf)
            .Where(b => b.FiscalYear == asOf.Year || b.Outstanding > 0 || b.LateIncrease > 0)
            .ToList();
        return new TaxBalance(query.CitizenId, asOf, now, lines.Count == 0 ? null : lines.Min(l => l.ExportedOn),
            balances.Sum(b => b.PayableNow), balances);
    }
}
