using CitizenCrm.Ivr.Speech;

namespace CitizenCrm.Tests.Phone;

public class SpeechFormatTests
{
    [TestCase(1234.50, "o mie două sute treizeci și patru de lei și cincizeci de bani")]
    [TestCase(1, "un leu")]
    [TestCase(2, "doi lei")]
    [TestCase(12, "doisprezece lei")]
    [TestCase(19.01, "nouăsprezece lei și un ban")]
    [TestCase(20, "douăzeci de lei")]
    [TestCase(21, "douăzeci și unu de lei")]
    [TestCase(101, "o sută unu lei")]
    [TestCase(102.02, "o sută doi lei și doi bani")]
    [TestCase(120, "o sută douăzeci de lei")]
    [TestCase(1000, "o mie de lei")]
    [TestCase(1019, "o mie nouăsprezece lei")]
    [TestCase(2000, "două mii de lei")]
    [TestCase(12000, "douăsprezece mii de lei")]
    [TestCase(21000, "douăzeci și una de mii de lei")]
    [TestCase(100000, "o sută de mii de lei")]
    [TestCase(1000000, "un milion de lei")]
    [TestCase(2500000, "două milioane cinci sute de mii de lei")]
    [TestCase(0.50, "cincizeci de bani")]
    [TestCase(0, "zero lei")]
    public void Caller_hears_lei_and_bani_in_Romanian(decimal amount, string expected) =>
        Assert.That(SpeechFormat.Money(amount, "ro"), Is.EqualTo(expected));

    [TestCase(1234.50, "one thousand two hundred thirty-four lei and fifty bani")]
    [TestCase(1, "one leu")]
    [TestCase(0.01, "one ban")]
    [TestCase(21, "twenty-one lei")]
    [TestCase(100000, "one hundred thousand lei")]
    public void Caller_hears_lei_and_bani_in_English(decimal amount, string expected) =>
        Assert.That(SpeechFormat.Money(amount, "en"), Is.EqualTo(expected));

    [TestCase(1234.50, "ezerkétszázharmincnégy lej és ötven bani")]
    [TestCase(2, "két lej")]
    [TestCase(22.02, "huszonkét lej és két bani")]
    [TestCase(2345, "kétezer-háromszáznegyvenöt lej")]
    [TestCase(2000, "kétezer lej")]
    [TestCase(10, "tíz lej")]
    [TestCase(15, "tizenöt lej")]
    public void Caller_hears_lei_and_bani_in_Hungarian(decimal amount, string expected) =>
        Assert.That(SpeechFormat.Money(amount, "hu"), Is.EqualTo(expected));

    [Test]
    public void Numbers_stand_alone_differently_from_numbers_before_a_noun()
    {
        Assert.That(NumberWords.Hungarian(2), Is.EqualTo("kettő"));
        Assert.That(NumberWords.Hungarian(22), Is.EqualTo("huszonkettő"));
        Assert.That(NumberWords.Romanian(2, feminine: true), Is.EqualTo("două"));
        Assert.That(NumberWords.Romanian(1, feminine: true, beforeNoun: true), Is.EqualTo("o"));
        Assert.That(SpeechFormat.Count(2, "ro", "amendă", "amenzi"), Is.EqualTo("două amenzi"));
        Assert.That(SpeechFormat.Count(1, "ro", "amendă", "amenzi"), Is.EqualTo("o amendă"));
        Assert.That(SpeechFormat.Count(20, "ro", "amendă", "amenzi"), Is.EqualTo("douăzeci de amenzi"));
        Assert.That(SpeechFormat.Count(3, "en", "fine", "fines"), Is.EqualTo("three fines"));
        Assert.That(SpeechFormat.Count(2, "hu", "bírság", "bírság"), Is.EqualTo("két bírság"));
    }

    [Test]
    public void Dates_are_said_as_day_and_month_with_the_year_only_when_it_is_not_this_one()
    {
        Assert.That(SpeechFormat.Date(new DateOnly(2026, 3, 31), "ro", 2026), Is.EqualTo("31 martie"));
        Assert.That(SpeechFormat.Date(new DateOnly(2026, 4, 1), "ro", 2026), Is.EqualTo("întâi aprilie"));
        Assert.That(SpeechFormat.Date(new DateOnly(2027, 3, 31), "ro", 2026), Is.EqualTo("31 martie 2027"));
        Assert.That(SpeechFormat.Date(new DateOnly(2026, 9, 30), "en", 2026), Is.EqualTo("30 September"));
        Assert.That(SpeechFormat.Date(new DateOnly(2026, 3, 31), "hu", 2026), Is.EqualTo("március 31."));
    }

    [Test]
    public void Registration_numbers_are_said_digit_by_digit()
    {
        Assert.That(SpeechFormat.RegistrationNumber(1204, 2026, "ro"), Is.EqualTo("unu, doi, zero, patru, din anul două mii douăzeci și șase"));
        Assert.That(SpeechFormat.RegistrationNumber(57, 2026, "en"), Is.EqualTo("five, seven, of two thousand twenty-six"));
        Assert.That(SpeechFormat.RegistrationNumber(30, 2026, "hu"), Is.EqualTo("három, nulla, per kétezer-huszonhat"));
    }

    private static readonly Dictionary<string, string> CityHours = new()
    {
        ["Monday"] = "08:00-16:30", ["Tuesday"] = "08:00-16:30", ["Wednesday"] = "08:00-16:30", ["Thursday"] = "08:00-16:30", ["Friday"] = "08:00-14:00",
    };

    [TestCase("ro", "de luni până joi, de la 8 la 16:30, și vineri, de la 8 la 14")]
    [TestCase("en", "Monday to Thursday from 8 to 16:30, and Friday from 8 to 14")]
    [TestCase("hu", "hétfőtől csütörtökig 8 és 16:30 óra között, pénteken 8 és 14 óra között")]
    public void Opening_hours_are_said_with_consecutive_days_together(string language, string expected) =>
        Assert.That(SpeechFormat.OpeningHours(CityHours, language), Is.EqualTo(expected));

    [Test]
    public void A_day_apart_with_the_same_hours_is_not_merged_across_a_closed_day()
    {
        var hours = new Dictionary<string, string> { ["Monday"] = "09:00-12:00", ["Wednesday"] = "09:00-12:00" };
        Assert.That(SpeechFormat.OpeningHours(hours, "en"), Is.EqualTo("Monday from 9 to 12, and Wednesday from 9 to 12"));
    }
}
