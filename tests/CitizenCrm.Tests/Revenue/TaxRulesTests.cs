using CitizenCrm.Core.Holidays;
using CitizenCrm.Core.Revenue;

namespace CitizenCrm.Tests.Revenue;

/// <summary>The rules of local taxes on their own: terms, instalments, late-payment increases, the discount.</summary>
public sealed class TaxRulesTests
{
    private static WorkingDays Calendar(params int[] years) =>
        new(years.SelectMany(LegalHolidays.For).GroupBy(h => h.Day).ToDictionary(g => g.Key, g => g.First().Name));

    private static TaxRules Rules(RevenueOptions? options = null) => new(options ?? new RevenueOptions(), Calendar(2018, 2023, 2025, 2026, 2027));

    private static TaxLine Building(decimal due, decimal paid = 0m, int year = 2025, string description = "Str. Mihai Viteazul 12", decimal? increases = null, DateOnly? exportedOn = null) =>
        new(Guid.NewGuid(), TaxRules.Building, year, description, due, paid, increases, exportedOn ?? new DateOnly(year, 1, 10));

    private static TaxObligationBalance Single(TaxLine line, DateOnly asOf, TaxRules? rules = null) => (rules ?? Rules()).Balances([line], asOf)[0];

    [Test]
    public void A_debt_overdue_by_one_day_bears_one_percent()
    {
        // 1,000 lei for 2025: 500 due on Monday 31 March 2025, nothing paid; 1 April is the first day late.
        var balance = Single(Building(1000m), new DateOnly(2025, 4, 1));

        Assert.That(balance.LateIncrease, Is.EqualTo(5.00m));
        Assert.That(balance.Overdue, Is.True);
        Assert.That(balance.Outstanding, Is.EqualTo(1000m));
        Assert.That(balance.NextDueDate, Is.EqualTo(new DateOnly(2025, 9, 30)));
        Assert.That(balance.NextInstalment, Is.EqualTo(500m));
        Assert.That(balance.PayableNow, Is.EqualTo(1005.00m));
    }

    [Test]
    public void A_debt_overdue_by_exactly_one_month_bears_one_percent_and_a_day_more_starts_the_second_month()
    {
        Assert.That(Single(Building(1000m), new DateOnly(2025, 4, 30)).LateIncrease, Is.EqualTo(5.00m), "31 March to 30 April: one month");
        Assert.That(Single(Building(1000m), new DateOnly(2025, 5, 1)).LateIncrease, Is.EqualTo(10.00m), "a fraction of a second month counts whole");
        Assert.That(Single(Building(1000m), new DateOnly(2025, 3, 31)).LateIncrease, Is.EqualTo(0m), "paying on the term is on time");
    }

    [Test]
    public void A_debt_overdue_by_thirteen_months_bears_thirteen_percent()
    {
        // 40 lei in total is due whole on the first term (at most 50 lei); 31 March 2025 + 13 months = 30 April 2026.
        var balance = Single(Building(40m), new DateOnly(2026, 4, 30));
        Assert.That(balance.LateIncrease, Is.EqualTo(5.20m));
        Assert.That(Single(Building(40m), new DateOnly(2026, 5, 1)).LateIncrease, Is.EqualTo(5.60m), "fourteenth month begun");
    }

    [Test]
    public void Each_instalment_accrues_from_its_own_term_and_payments_cover_the_earliest_first()
    {
        // 1,000 lei, 600 paid: the first instalment (500) is covered, 100 of the second; 400 unpaid since 30 September 2025.
        var balance = Single(Building(1000m, paid: 600m), new DateOnly(2025, 10, 1));
        Assert.That(balance.Outstanding, Is.EqualTo(400m));
        Assert.That(balance.LateIncrease, Is.EqualTo(4.00m));

        // Nothing paid: 500 late by 7 months (1 April..31 October), 500 late by 1 month (1 October..31 October).
        var unpaid = Single(Building(1000m), new DateOnly(2025, 10, 31));
        Assert.That(TaxRules.MonthsLate(new DateOnly(2025, 3, 31), new DateOnly(2025, 10, 31)), Is.EqualTo(7));
        Assert.That(TaxRules.MonthsLate(new DateOnly(2025, 9, 30), new DateOnly(2025, 10, 31)), Is.EqualTo(1));
        Assert.That(unpaid.LateIncrease, Is.EqualTo(40.00m));
    }

    [Test]
    public void A_30_September_term_paid_on_31_October_bears_one_percent_because_the_months_run_from_1_October()
    {
        // Law 207/2015 art. 183(2): "începând cu ziua imediat următoare termenului de scadență". Tuesday 30 September 2025 is
        // the second term; 1,000 lei with 500 paid leaves the second half, 500 lei, unpaid. Month 1 of the delay is
        // 1–31 October, month 2 is 1–30 November, month 3 is 1–31 December, month 4 is 1–31 January.
        Assert.That(Single(Building(1000m, paid: 500m), new DateOnly(2025, 10, 1)).LateIncrease, Is.EqualTo(5.00m), "1 October: month 1");
        Assert.That(Single(Building(1000m, paid: 500m), new DateOnly(2025, 10, 31)).LateIncrease, Is.EqualTo(5.00m), "31 October: still month 1, 1 %");
        Assert.That(Single(Building(1000m, paid: 500m), new DateOnly(2025, 11, 1)).LateIncrease, Is.EqualTo(10.00m), "1 November: month 2 begun");
        Assert.That(Single(Building(1000m, paid: 500m), new DateOnly(2025, 11, 30)).LateIncrease, Is.EqualTo(10.00m), "30 November: month 2");
        Assert.That(Single(Building(1000m, paid: 500m), new DateOnly(2025, 12, 31)).LateIncrease, Is.EqualTo(15.00m), "31 December: month 3");
        Assert.That(Single(Building(1000m, paid: 500m), new DateOnly(2026, 1, 31)).LateIncrease, Is.EqualTo(20.00m), "31 January: month 4");
        Assert.That(Single(Building(1000m, paid: 500m), new DateOnly(2026, 2, 1)).LateIncrease, Is.EqualTo(25.00m), "1 February: month 5");

        Assert.That(TaxRules.MonthsLate(new DateOnly(2025, 9, 30), new DateOnly(2025, 9, 30)), Is.EqualTo(0), "the term day is on time");
        Assert.That(TaxRules.MonthsLate(new DateOnly(2025, 9, 30), new DateOnly(2025, 10, 31)), Is.EqualTo(1));
        Assert.That(TaxRules.MonthsLate(new DateOnly(2025, 9, 30), new DateOnly(2025, 11, 1)), Is.EqualTo(2));
        // A delay starting on the 31st: February has no 31st, so that month of delay ends on its last day (Civil Code art. 2552(2)).
        Assert.That(TaxRules.MonthsLate(new DateOnly(2027, 1, 30), new DateOnly(2027, 2, 28)), Is.EqualTo(1));
        Assert.That(TaxRules.MonthsLate(new DateOnly(2027, 1, 30), new DateOnly(2027, 3, 1)), Is.EqualTo(2));
    }

    [Test]
    public void The_revenue_systems_own_increases_are_taken_and_projected_forward_by_the_same_rule()
    {
        // Exported on 15 May 2025 with 10.00 lei of increases on the unpaid first instalment (two months begun).
        var line = Building(1000m, increases: 10.00m, exportedOn: new DateOnly(2025, 5, 15));
        Assert.That(Single(line, new DateOnly(2025, 5, 31)).LateIncrease, Is.EqualTo(10.00m), "still the second month");
        Assert.That(Single(line, new DateOnly(2025, 6, 1)).LateIncrease, Is.EqualTo(15.00m), "third month begun after the export");
    }

    [Test]
    public void Increases_are_rounded_to_the_ban_half_away_from_zero_unless_configured_otherwise()
    {
        // 1 % of 0.50 lei = 0.005 lei.
        Assert.That(Rules().Increase(0.50m, 1), Is.EqualTo(0.01m));
        Assert.That(Rules(new RevenueOptions { IncreaseRounding = MidpointRounding.ToEven }).Increase(0.50m, 1), Is.EqualTo(0.00m));
        Assert.That(Rules(new RevenueOptions { IncreaseRoundingDecimals = 0 }).Increase(333.33m, 2), Is.EqualTo(7m));
    }

    [Test]
    public void The_50_lei_rule_and_the_discount_count_all_buildings_of_the_taxpayer_together()
    {
        var rules = Rules();
        var march = new DateOnly(2026, 3, 1);

        // Two buildings of 30 lei: 60 lei of building tax in all, so each is paid in two instalments of 15,
        // although each alone would be under 50 lei.
        var two = rules.Balances([Building(30m, year: 2026, description: "A"), Building(30m, year: 2026, description: "B")], march);
        Assert.That(two.Select(b => b.NextInstalment), Is.EqualTo(new[] { 15m, 15m }));
        Assert.That(two.Select(b => b.NextDueDate), Is.All.EqualTo(new DateOnly(2026, 3, 31)));
        // The discount is 10 % of each building's year, offered until the first term.
        Assert.That(two.Select(b => b.DiscountAvailable), Is.EqualTo(new[] { 3.00m, 3.00m }));
        Assert.That(two.Select(b => b.PayableNow), Is.EqualTo(new[] { 27.00m, 27.00m }));

        // 20 + 25 = 45 lei: due whole on the first term.
        var small = rules.Balances([Building(20m, year: 2026, description: "A"), Building(25m, year: 2026, description: "B")], march);
        Assert.That(small.Select(b => b.NextInstalment), Is.EqualTo(new[] { 20m, 25m }));
        var afterFirstTerm = rules.Balances([Building(20m, year: 2026, description: "A"), Building(25m, year: 2026, description: "B")], new DateOnly(2026, 4, 1));
        Assert.That(afterFirstTerm.Select(b => b.LateIncrease), Is.EqualTo(new[] { 0.20m, 0.25m }), "the whole is late");
        Assert.That(afterFirstTerm.Select(b => b.DiscountAvailable), Is.All.EqualTo(0m), "no discount after the first term");
        Assert.That(afterFirstTerm.Select(b => b.NextDueDate), Is.All.Null);

        // A vehicle of 30 lei is another kind of tax: its own 50-lei rule.
        var mixed = rules.Balances([Building(30m, year: 2026, description: "A"), Building(30m, year: 2026, description: "B"),
            new TaxLine(Guid.NewGuid(), TaxRules.Vehicle, 2026, "AB-12-XYZ", 30m, 0m, null, new DateOnly(2026, 1, 10))], march);
        Assert.That(mixed[2].NextInstalment, Is.EqualTo(30m));
    }

    [Test]
    public void The_discount_percentage_is_set_by_the_local_council()
    {
        var rules = Rules(new RevenueOptions { EarlyPaymentDiscountPercent = 5m });
        Assert.That(Single(Building(1000m, year: 2026), new DateOnly(2026, 3, 31), rules).DiscountAvailable, Is.EqualTo(50.00m), "the term day itself still counts");
        Assert.Throws<InvalidOperationException>(() => new RevenueOptions { EarlyPaymentDiscountPercent = 12m }.Check(), "the law allows at most 10 %");
    }

    [Test]
    public void A_term_on_a_Saturday_slides_to_the_next_working_day()
    {
        // 31 March 2018 was a Saturday: the term was Monday 2 April 2018. 30 September 2023 was a Saturday: Monday 2 October.
        var rules = Rules();
        Assert.That(rules.Terms(2018).First, Is.EqualTo(new DateOnly(2018, 4, 2)));
        Assert.That(rules.Terms(2023).Second, Is.EqualTo(new DateOnly(2023, 10, 2)));
        // Paying on 2 April 2018 is on time; 3 April is late.
        Assert.That(Single(Building(1000m, year: 2018), new DateOnly(2018, 4, 2)).LateIncrease, Is.EqualTo(0m));
        Assert.That(Single(Building(1000m, year: 2018), new DateOnly(2018, 4, 3)).LateIncrease, Is.EqualTo(5.00m));
    }

    [Test]
    public void A_term_on_a_day_the_government_declared_free_slides_too()
    {
        var days = LegalHolidays.For(2027).GroupBy(h => h.Day).ToDictionary(g => g.Key, g => g.First().Name);
        days[new DateOnly(2027, 3, 31)] = "HG bridge day (example)";
        var rules = new TaxRules(new RevenueOptions(), new WorkingDays(days));
        Assert.That(rules.Terms(2027).First, Is.EqualTo(new DateOnly(2027, 4, 1)));
    }
}
