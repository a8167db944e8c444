using System.Text.Json.Serialization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Holidays;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
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
    decimal? HalfMinimumAmount,  // what is left to pay to settle it while the 15 days run (OG 2/2001 art. 28: half the legal minimum,
                                 // or half the fine applied under OUG 7/2026, less what was paid); null when no discount applies
    DateOnly? HalfMinimumDeadline, // last day to pay HalfMinimumAmount; null once passed or when none applies
    FineDiscount? HalfOf = null);  // which half HalfMinimumAmount is: of the legal minimum, or of the fine applied (OUG 7/2026)

public sealed record UnpaidFines(Guid CitizenId, DateOnly AsOf, int Count, decimal TotalOutstanding, IReadOnlyList<UnpaidFine> Fines) : ICitizenDataResult
{
    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => [CitizenId];
}

public sealed record GetUnpaidFines(Guid CitizenId, DateOnly? AsOf = null) : IPersonalDataQuery<UnpaidFines>, IValidatable
{
    public void Validate(Validation v) => RevenueDates.ValidateAsOf(v, AsOf);
}

public sealed class GetUnpaidFinesHandler(UnitOfWork uow, TimeProvider clock) : IQueryHandler<GetUnpaidFines, UnpaidFines>
{
    private const string CitizenExists = "SELECT COUNT(*) FROM citizens WHERE id = @CitizenId";

    private const string Fines = $"""
        SELECT {FineRow.Columns}
        FROM fines
        WHERE citizen_id = @CitizenId AND amount_paid < amount_applied AND handed_over_on <= @AsOf
        ORDER BY handed_over_on, report_number
        """;

    public async ValueTask<UnpaidFines> Handle(GetUnpaidFines query, CancellationToken ct)
    {
        if (await uow.ExecuteScalarAsync<long>(CitizenExists, new { query.CitizenId }, ct) == 0)
            throw new NotFoundException("citizen", query.CitizenId);
        var asOf = query.AsOf ?? Calendar.Today(clock);
        var rows = await uow.QueryAsync<FineRow>(Fines, new { query.CitizenId, AsOf = asOf }, ct);
        var fromYear = rows.Count == 0 ? asOf.Year : rows.Min(r => r.HandedOverOn.Year);
        var workingDays = await WorkingDays.LoadAsync(uow, fromYear, asOf.Year + 1, ct);

        var fines = new List<UnpaidFine>();
        foreach (var r in rows)
        {
            decimal applied = Money.ToLei(r.AmountApplied), paid = Money.ToLei(r.AmountPaid);
            var settlement = FineRules.Settlement(r.FineCategory, r.HandedOverOn, applied, Money.ToLei(r.LegalMinimum), workingDays);
            // Half (of the minimum, or of the fine applied) paid within the 15 days settles the fine (OG 2/2001 art. 28(1)).
            if (settlement is not null && paid >= settlement.Amount && r.PaidOn is { } paidOn && paidOn <= settlement.Deadline) continue;
            // While the 15 days run, what is left to pay to settle it; afterwards the whole fine is owed.
            var running = settlement is not null && asOf <= settlement.Deadline;
            fines.Add(new UnpaidFine(r.Id, r.ReportNumber, r.HandedOverOn, r.LegalBasis, applied, paid, applied - paid,
                running ? Math.Max(0m, settlement!.Amount - paid) : null, running ? settlement!.Deadline : null,
                running ? settlement!.Rule.Discount : null));
        }
        return new UnpaidFines(query.CitizenId, asOf, fines.Count, fines.Sum(f => f.Outstanding), fines);
    }
}
