using CitizenCrm.Core.Holidays;
using CitizenCrm.Core.Revenue;

namespace CitizenCrm.Tests.Revenue;

public sealed class FineRulesTests
{
    private static readonly WorkingDays Days = new(LegalHolidays.For(2026).GroupBy(h => h.Day).ToDictionary(g => g.Key, g => g.First().Name));

    [Test]
    public void Half_of_the_legal_minimum_within_15_days_settles_a_fine()
    {
        // Range 200–1,000 lei, fine 800 -> 100 lei within 15 days (OG 2/2001 art. 28).
        var s = FineRules.Settlement(FineRules.General, new DateOnly(2026, 5, 4), 800m, 200m, Days)!;
        Assert.That(s.Amount, Is.EqualTo(100m));
        Assert.That(s.Deadline, Is.EqualTo(new DateOnly(2026, 5, 19)));
    }

    [Test]
    public void A_15_day_term_ending_on_Orthodox_Easter_Monday_slides_to_the_next_working_day()
    {
        // Orthodox Easter 2026 is 12 April; a report handed over on 29 March has its 15th day on Easter Monday, 13 April.
        // (A tax term cannot fall on Orthodox Easter Monday: Orthodox Easter is never before 4 April in this era.)
        Assert.That(LegalHolidays.OrthodoxEaster(2026), Is.EqualTo(new DateOnly(2026, 4, 12)));
        Assert.That(FineRules.Deadline(new DateOnly(2026, 3, 29), Days), Is.EqualTo(new DateOnly(2026, 4, 14)));
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
