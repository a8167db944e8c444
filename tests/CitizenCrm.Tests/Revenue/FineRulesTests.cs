using CitizenCrm.Core.Holidays;
using CitizenCrm.Core.Revenue;

namespace CitizenCrm.Tests.Revenue;

public sealed class FineRulesTests
{
    private static readonly WorkingDays Days = new(LegalHolidays.For(2026).GroupBy(h => h.Day).ToDictionary(g => g.Key, g => g.First().Name));

    [Test]
    public void Half_of_the_legal_minimum_within_15_days_settles_a_fine()
    {
        // Range 200–1,000 lei, fine 800 -> 100 lei within 15 days (OG 2/2001 art. 28). Handed over on Monday 4 May 2026:
        // the 15 free days are 5–19 May, so Wednesday 20 May is the last day to pay.
        var s = FineRules.Settlement(FineRules.General, new DateOnly(2026, 5, 4), 800m, 200m, Days)!;
        Assert.That(s.Amount, Is.EqualTo(100m));
        Assert.That(s.Deadline, Is.EqualTo(new DateOnly(2026, 5, 20)));
    }

    [Test]
    public void The_15_days_are_free_days_so_the_citizen_may_still_pay_on_the_16th_day_after_the_hand_over()
    {
        // Civil Procedure Code art. 181(1) pt. 2 (and Civil Code art. 2553(1)): neither the hand-over day nor the day the term
        // ends counts. Handed over on Wednesday 10 September 2025: the 15 days are 11–25 September, Friday 26 September is the
        // last day to pay.
        Assert.That(FineRules.Deadline(new DateOnly(2025, 9, 10), Days), Is.EqualTo(new DateOnly(2025, 9, 26)));
        // Handed over on Thursday 28 May 2026: the 16th day is Saturday 13 June, so the last day is Monday 15 June.
        Assert.That(FineRules.Deadline(new DateOnly(2026, 5, 28), Days), Is.EqualTo(new DateOnly(2026, 6, 15)));
    }

    [Test]
    public void A_15_day_term_ending_on_Orthodox_Easter_Monday_slides_to_the_next_working_day()
    {
        // Orthodox Easter 2026 is 12 April; a report handed over on Saturday 28 March has its 15 free days on 29 March–12 April
        // and its last day on Easter Monday, 13 April, a legal holiday: Tuesday 14 April.
        // (A tax term cannot fall on Orthodox Easter Monday: Orthodox Easter is never before 4 April in this era.)
        Assert.That(LegalHolidays.OrthodoxEaster(2026), Is.EqualTo(new DateOnly(2026, 4, 12)));
        Assert.That(FineRules.Deadline(new DateOnly(2026, 3, 28), Days), Is.EqualTo(new DateOnly(2026, 4, 14)));
    }

    [Test]
    public void From_27_March_2026_public_order_fines_are_settled_by_half_of_the_fine_applied()
    {
        var s = FineRules.Settlement(FineRules.PublicOrder, new DateOnly(2026, 4, 1), 1000m, 500m, Days)!;
        Assert.That(s.Amount, Is.EqualTo(500m));
        Assert.That(s.Rule.Source, Does.Contain("OUG 7/2026"));
        Assert.That(FineRules.Settlement(FineRules.General, new DateOnly(2026, 4, 1), 1000m, 500m, Days)!.Amount, Is.EqualTo(250m),
            "other fines keep half of the minimum");
    }

    [Test]
    public void Building_without_a_permit_has_no_discount_from_27_March_2026()
    {
        Assert.That(FineRules.Settlement(FineRules.BuildingWithoutPermit, new DateOnly(2026, 3, 27), 5000m, 1000m, Days), Is.Null);
    }

    [Test]
    public void A_report_handed_over_before_the_change_keeps_the_more_favourable_rule_for_its_whole_15_days()
    {
        // Handed over 20 March 2026: its 15 days run past 27 March; half of the minimum (250) beats half of the fine (500).
        var s = FineRules.Settlement(FineRules.PublicOrder, new DateOnly(2026, 3, 20), 1000m, 500m, Days)!;
        Assert.That(s.Amount, Is.EqualTo(250m));
        Assert.That(FineRules.Settlement(FineRules.BuildingWithoutPermit, new DateOnly(2026, 3, 20), 5000m, 1000m, Days)!.Amount, Is.EqualTo(500m));
    }
}
