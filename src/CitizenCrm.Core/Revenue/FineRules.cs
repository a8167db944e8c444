using CitizenCrm.Core.Holidays;

namespace CitizenCrm.Core.Revenue;

public enum FineDiscount { HalfOfMinimum, HalfOfApplied, None }

/// <summary>Which early-payment rule of OG 2/2001 art. 28 governs a category of fines, and from when to when.</summary>
public sealed record FineRule(string Category, DateOnly From, DateOnly? Until, FineDiscount Discount, string Source);

/// <summary>What settles a fine early, and by when.</summary>
public sealed record FineSettlement(decimal Amount, DateOnly Deadline, FineRule Rule);

/// <summary>
/// OG 2/2001 art. 28(1), as amended by Law 203/2018 (in force 24 August 2018): paying half of the legal minimum within 15 days
/// of the report being handed over or communicated settles the fine. OUG 7/2026, from 27 March 2026: for urbanism and
/// construction, public gatherings (Law 60/1991), public order (Law 61/1991), guarding (Law 333/2003), weapons (Law 295/2004)
/// and explosives (Law 126/1995) it is half of the fine applied, and nothing for building without a permit.
/// The rules are data, per category with effective dates, so a later change is one more line.
/// </summary>
public static class FineRules
{
    public const string General = "general", Urbanism = "urbanism", BuildingWithoutPermit = "building_without_permit",
        PublicGatherings = "public_gatherings", PublicOrder = "public_order", Guarding = "guarding", Weapons = "weapons", Explosives = "explosives";

    public static readonly IReadOnlyList<string> Categories =
        [General, Urbanism, BuildingWithoutPermit, PublicGatherings, PublicOrder, Guarding, Weapons, Explosives];

    public const int DaysToPayHalf = 15;

    private static readonly DateOnly Law203 = new(2018, 8, 24);
    private static readonly DateOnly Oug7 = new(2026, 3, 27);
    private const string Art28 = "OG 2/2001 art. 28(1) as amended by Law 203/2018";
    private const string Oug7Source = "OG 2/2001 art. 28 as amended by OUG 7/2026";

    public static readonly IReadOnlyList<FineRule> Rules = BuildRules();

    private static List<FineRule> BuildRules()
    {
        var rules = new List<FineRule> { new(General, Law203, null, FineDiscount.HalfOfMinimum, Art28) };
        foreach (var c in new[] { Urbanism, PublicGatherings, PublicOrder, Guarding, Weapons, Explosives })
        {
            rules.Add(new(c, Law203, Oug7.AddDays(-1), FineDiscount.HalfOfMinimum, Art28));
            rules.Add(new(c, Oug7, null, FineDiscount.HalfOfApplied, Oug7Source));
        }
        rules.Add(new(BuildingWithoutPermit, Law203, Oug7.AddDays(-1), FineDiscount.HalfOfMinimum, Art28));
        rules.Add(new(BuildingWithoutPermit, Oug7, null, FineDiscount.None, Oug7Source));
        return rules;
    }

    /// <summary>
    /// The last day to pay "în termen de cel mult 15 zile de la data înmânării sau comunicării procesului-verbal" (art. 28(1)).
    /// A term in days is counted in free days: neither the day it starts from (the hand-over) nor the day it ends counts
    /// (Civil Procedure Code, Law 134/2010, art. 181(1) pt. 2, to which OG 2/2001 art. 47 refers; the Civil Code, art. 2553(1),
    /// which art. 2551 applies to every term whatever its nature, says the same). So the 15 full days are the 1st to the
    /// 15th day after the hand-over, and the citizen may still pay on the 16th. A last day on a non-working day moves to the
    /// next working day (Civil Procedure Code art. 181(2), Civil Code art. 2554). Of the two readings of "within 15 days"
    /// (the 15th day after the hand-over, or the 16th), this is the one more favourable to the citizen, and the one both codes
    /// support. Example: handed over on 10 September 2025, the 15 days are 11–25 September and 26 September is the last day.
    /// </summary>
    public static DateOnly Deadline(DateOnly handedOverOn, WorkingDays workingDays) =>
        workingDays.OnOrNextWorkingDay(handedOverOn.AddDays(DaysToPayHalf + 1));

    /// <summary>
    /// What settles the fine early, or null when no rule gives a discount. Without the offence date in the export, the rule is
    /// chosen by the report's dates: every rule in force on any day from the hand-over to the last day to pay "applies", and
    /// the one most favourable to the citizen wins (the more favourable law applies, Constitution art. 15(2), OG 2/2001 art. 12).
    /// So a report handed over before 27 March 2026 keeps half of the legal minimum for its whole 15 days, even for building
    /// without a permit; a report handed over from 27 March 2026 on follows OUG 7/2026. Halves are rounded down to the ban,
    /// in the citizen's favour.
    /// </summary>
    public static FineSettlement? Settlement(string category, DateOnly handedOverOn, decimal applied, decimal legalMinimum, WorkingDays workingDays)
    {
        var deadline = Deadline(handedOverOn, workingDays);
        FineSettlement? best = null;
        foreach (var rule in Rules.Where(r => r.Category == category && r.From <= deadline && (r.Until is null || r.Until >= handedOverOn)))
        {
            decimal? amount = rule.Discount switch
            {
                FineDiscount.HalfOfMinimum => Math.Round(legalMinimum / 2, 2, MidpointRounding.ToZero),
                FineDiscount.HalfOfApplied => Math.Round(applied / 2, 2, MidpointRounding.ToZero),
                _ => null,
            };
            if (amount is { } a && (best is null || a < best.Amount)) best = new FineSettlement(a, deadline, rule);
        }
        return best;
    }
}
