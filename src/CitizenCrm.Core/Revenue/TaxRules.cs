using CitizenCrm.Core.Holidays;

namespace CitizenCrm.Core.Revenue;

/// <summary>One tax obligation as the ledger holds it (lei).</summary>
public sealed record TaxLine(
    Guid Id, string TaxKind, int FiscalYear, string Description, decimal AmountDue, decimal AmountPaid,
    decimal? ExportedIncreases, DateOnly ExportedOn);

/// <summary>One instalment of an obligation: its term, its share of the tax and what of it is still unpaid.</summary>
public sealed record Instalment(DateOnly Term, decimal Amount, decimal Unpaid);

/// <summary>
/// The rules of local taxes (Fiscal Code, Law 227/2015, title IX; Fiscal Procedure Code, Law 207/2015), as pure functions
/// of the ledger's figures and a day. Kept free of storage so each rule can be tested on its own.
/// </summary>
public sealed class TaxRules(RevenueOptions options, WorkingDays workingDays)
{
    public const string Building = "building", Land = "land", Vehicle = "vehicle", Other = "other";
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { Building, Land, Vehicle, Other };

    /// <summary>Art. 462(3), 467(3), 472(3): a yearly total of at most 50 lei per kind of tax is due whole by the first term.</summary>
    public const decimal WholeAtFirstTermLimit = 50m;

    /// <summary>Law 207/2015 art. 183(2): 1 % of the unpaid principal for each month or fraction of a month.</summary>
    public const decimal IncreasePercentPerMonth = 1m;

    /// <summary>
    /// Art. 462(1), 467(1), 472(1): two equal instalments by 31 March and 30 September. A term falling on a non-working day
    /// moves to the next working day (the Civil Procedure Code's rule on terms, Law 134/2010 art. 181(2), which city notices
    /// apply to these terms, e.g. 31 March 2018 -> 2 April 2018).
    /// </summary>
    public (DateOnly First, DateOnly Second) Terms(int year) =>
        (workingDays.OnOrNextWorkingDay(new DateOnly(year, 3, 31)), workingDays.OnOrNextWorkingDay(new DateOnly(year, 9, 30)));

    /// <summary>
    /// The instalments of one obligation. <paramref name="kindTotal"/> is the sum of the year's tax of that kind over all of
    /// the taxpayer's obligations in the city (art. 462(3), 467(3), 472(3) speak of the taxpayer's tax, not of one property).
    /// The first half takes the odd ban. "Other" taxes have no instalments in title IX's sense: due whole at the first term.
    /// The export carries only the total paid, so payments are applied to the instalment with the earliest term first
    /// (the order the Fiscal Procedure Code art. 165 uses for debts: the oldest first).
    /// </summary>
    public IReadOnlyList<Instalment> Instalments(TaxLine line, decimal kindTotal)
    {
        var (first, second) = Terms(line.FiscalYear);
        var shares = line.TaxKind == Other || kindTotal <= WholeAtFirstTermLimit
            ? new[] { (first, line.AmountDue) }
            : new[] { (first, Money.ToBan(line.AmountDue / 2)), (second, line.AmountDue - Money.ToBan(line.AmountDue / 2)) };
        var paid = line.AmountPaid;
        var result = new List<Instalment>(shares.Length);
        foreach (var (term, amount) in shares)
        {
            var covered = Math.Min(paid, amount);
            paid -= covered;
            result.Add(new Instalment(term, amount, amount - covered));
        }
        return result;
    }

    /// <summary>
    /// Months or fractions of a month of delay, counted "începând cu ziua imediat următoare termenului de scadență și până la
    /// data stingerii sumei datorate, inclusiv" (Law 207/2015 art. 183(2)): the delay starts on the day after
    /// <paramref name="term"/> and runs to <paramref name="day"/> inclusive. Month 1 runs from that first late day to the day
    /// before the same date one month later, month 2 from there, and so on (a month counted from a day ends on the
    /// corresponding day, Civil Code art. 2552(1)): a term of 30 September paid on 31 October is one month late (1 October to
    /// 31 October), on 1 November two; a term of 31 March paid on 30 April is one month late, on 1 May two.
    /// Where the month has no corresponding day (a delay starting on the 29th to 31st), that month of delay ends on the
    /// month's last day (art. 2552(2)); tax terms never start a delay there (1 April, 1 October, or a few days later).
    /// </summary>
    public static int MonthsLate(DateOnly term, DateOnly day)
    {
        if (day <= term) return 0;
        var firstLateDay = term.AddDays(1);
        var months = Math.Max(1, (day.Year - firstLateDay.Year) * 12 + day.Month - firstLateDay.Month);
        while (months > 1 && LastDayOfDelayMonth(firstLateDay, months - 1) >= day) months--;   // within an earlier month
        while (LastDayOfDelayMonth(firstLateDay, months) < day) months++;                    // a further month begun
        return months;
    }

    /// <summary>The last day (inclusive) of month <paramref name="k"/> of a delay that began on <paramref name="firstLateDay"/>.</summary>
    private static DateOnly LastDayOfDelayMonth(DateOnly firstLateDay, int k)
    {
        var corresponding = firstLateDay.AddMonths(k);   // clamped to the month's end when the month is shorter
        return corresponding.Day == firstLateDay.Day ? corresponding.AddDays(-1) : corresponding;
    }

    public decimal Increase(decimal unpaidPrincipal, int months) =>
        months <= 0 || unpaidPrincipal <= 0
            ? 0m
            : Math.Round(unpaidPrincipal * IncreasePercentPerMonth / 100m * months, options.IncreaseRoundingDecimals, options.IncreaseRounding);

    /// <summary>
    /// Late-payment increases as of <paramref name="asOf"/>. Each instalment's unpaid part accrues from the day after its own term.
    /// The revenue system is the authority: when its export gives the increases as of the export day, they are taken as they are
    /// and only the months (or fractions) that begin after the export day are added, on what was unpaid at the export.
    /// Without them, what is unpaid at the export is taken as unpaid since its term. A day before the export gives the
    /// export's figures (nothing is taken back).
    /// </summary>
    public decimal LateIncrease(TaxLine line, IReadOnlyList<Instalment> instalments, DateOnly asOf)
    {
        var total = line.ExportedIncreases ?? 0m;
        foreach (var i in instalments.Where(i => i.Unpaid > 0))
        {
            var months = MonthsLate(i.Term, asOf);
            if (line.ExportedIncreases is not null) months -= MonthsLate(i.Term, line.ExportedOn);
            total += Increase(i.Unpaid, months);
        }
        return total;
    }

    /// <summary>
    /// The early-payment discount still on offer on <paramref name="asOf"/>: a percentage of the whole year's tax (art. 462(2),
    /// 467(2), 472(2)), granted when the whole year's tax of that kind, summed over the taxpayer's obligations, is paid by the first
    /// term. Shown per obligation; it never exceeds what is still unpaid. None for "other" taxes, which have no such rule.
    /// </summary>
    public decimal DiscountAvailable(TaxLine line, decimal outstanding, DateOnly asOf)
    {
        if (line.TaxKind == Other || outstanding <= 0 || asOf > Terms(line.FiscalYear).First) return 0m;
        return Math.Min(outstanding, Money.ToBan(line.AmountDue * options.EarlyPaymentDiscountPercent / 100m));
    }

    /// <summary>The balance of each obligation; <paramref name="yearLines"/> must hold all the taxpayer's obligations of those years.</summary>
    public IReadOnlyList<TaxObligationBalance> Balances(IReadOnlyList<TaxLine> yearLines, DateOnly asOf)
    {
        var kindTotals = yearLines.GroupBy(l => (l.TaxKind, l.FiscalYear)).ToDictionary(g => g.Key, g => g.Sum(l => l.AmountDue));
        var result = new List<TaxObligationBalance>(yearLines.Count);
        foreach (var line in yearLines)
        {
            var instalments = Instalments(line, kindTotals[(line.TaxKind, line.FiscalYear)]);
            var outstanding = instalments.Sum(i => i.Unpaid);
            var late = LateIncrease(line, instalments, asOf);
            var discount = DiscountAvailable(line, outstanding, asOf);
            var next = instalments.FirstOrDefault(i => i.Term >= asOf && i.Unpaid > 0);
            var overdue = late > 0 || instalments.Any(i => i.Term < asOf && i.Unpaid > 0);
            result.Add(new TaxObligationBalance(line.Id, line.TaxKind, line.FiscalYear, line.Description, line.AmountDue, line.AmountPaid,
                outstanding, late, discount, outstanding + late - discount, next?.Term, next?.Unpaid ?? 0m, overdue));
        }
        return result;
    }
}
