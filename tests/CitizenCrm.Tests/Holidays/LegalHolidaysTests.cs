using CitizenCrm.Core.Holidays;

namespace CitizenCrm.Tests.Holidays;

public sealed class LegalHolidaysTests
{
    // Orthodox Easter dates as published by the Romanian Orthodox Church calendar.
    [TestCase(2018, 4, 8)]
    [TestCase(2024, 5, 5)]
    [TestCase(2025, 4, 20)]
    [TestCase(2026, 4, 12)]
    [TestCase(2027, 5, 2)]
    public void Orthodox_Easter_is_computed_for_any_year(int year, int month, int day) =>
        Assert.That(LegalHolidays.OrthodoxEaster(year), Is.EqualTo(new DateOnly(year, month, day)));

    [Test]
    public void Year_2026_has_Good_Friday_Easter_Monday_Pentecost_Monday_and_Epiphany()
    {
        var days = LegalHolidays.For(2026).Select(d => d.Day).ToList();
        Assert.That(days, Does.Contain(new DateOnly(2026, 4, 10)));  // Good Friday
        Assert.That(days, Does.Contain(new DateOnly(2026, 4, 13)));  // Easter Monday
        Assert.That(days, Does.Contain(new DateOnly(2026, 6, 1)));   // Pentecost Monday and Children's Day
        Assert.That(days, Does.Contain(new DateOnly(2026, 1, 6)));
        Assert.That(days, Has.Count.EqualTo(days.Distinct().Count() + 1), "1 June 2026 is both Children's Day and Pentecost Monday");
    }

    [Test]
    public void A_term_on_a_Saturday_or_on_Easter_Monday_slides_to_the_next_working_day()
    {
        var holidays = LegalHolidays.For(2026).GroupBy(d => d.Day).ToDictionary(g => g.Key, g => g.First().Name);
        var days = new WorkingDays(holidays);
        Assert.That(days.OnOrNextWorkingDay(new DateOnly(2026, 3, 28)), Is.EqualTo(new DateOnly(2026, 3, 30)));
        Assert.That(days.OnOrNextWorkingDay(new DateOnly(2026, 4, 13)), Is.EqualTo(new DateOnly(2026, 4, 14)));
        Assert.That(days.OnOrNextWorkingDay(new DateOnly(2026, 3, 31)), Is.EqualTo(new DateOnly(2026, 3, 31)));
    }
}
