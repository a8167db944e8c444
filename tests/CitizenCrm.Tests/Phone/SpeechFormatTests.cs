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

    // British English: "and" before the tens and units after hundreds and thousands, as the en-GB voice says it.
    [TestCase(1234.50, "one thousand two hundred and thirty-four lei and fifty bani")]
    [TestCase(1503, "one thousand five hundred and three lei")]
    [TestCase(1034, "one thousand and thirty-four lei")]
    [TestCase(1400, "one thousand four hundred lei")]
    [TestCase(101, "one hundred and one lei")]
    [TestCase(2000000.07, "two million lei and seven bani")]
    [TestCase(1, "one leu")]
    [TestCase(0.01, "one ban")]
    [TestCase(21, "twenty-one lei")]
    [TestCase(100000, "one hundred thousand lei")]
    [TestCase(100500, "one hundred thousand five hundred lei")]
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
        Assert.That(SpeechFormat.Date(new DateOnly(2026, 3, 31), "hu", 2026), Is.EqualTo("március harmincegyedike"));
        Assert.That(SpeechFormat.Date(new DateOnly(2027, 3, 31), "hu", 2026), Is.EqualTo("kétezer-huszonhét március harmincegyedike"));
    }

    // Hungarian dates take the case the sentence needs, with vowel harmony; the day is said in words.
    [TestCase(1, "május elseje", "május elsején", "május elsejéig", "május elsejei")]
    [TestCase(2, "május másodika", "május másodikán", "május másodikáig", "május másodikai")]
    [TestCase(5, "május ötödike", "május ötödikén", "május ötödikéig", "május ötödikei")]
    [TestCase(12, "május tizenkettedike", "május tizenkettedikén", "május tizenkettedikéig", "május tizenkettedikei")]
    [TestCase(20, "május huszadika", "május huszadikán", "május huszadikáig", "május huszadikai")]
    [TestCase(23, "május huszonharmadika", "május huszonharmadikán", "május huszonharmadikáig", "május huszonharmadikai")]
    [TestCase(27, "május huszonhetedike", "május huszonhetedikén", "május huszonhetedikéig", "május huszonhetedikei")]
    [TestCase(30, "május harmincadika", "május harmincadikán", "május harmincadikáig", "május harmincadikai")]
    [TestCase(31, "május harmincegyedike", "május harmincegyedikén", "május harmincegyedikéig", "május harmincegyedikei")]
    public void Hungarian_dates_take_the_case_of_their_sentence(int day, string plain, string on, string until, string of)
    {
        var date = new DateOnly(2026, 5, day);
        Assert.That(SpeechFormat.Date(date, "hu", 2026, DateCase.Plain), Is.EqualTo(plain));
        Assert.That(SpeechFormat.Date(date, "hu", 2026, DateCase.On), Is.EqualTo(on));
        Assert.That(SpeechFormat.Date(date, "hu", 2026, DateCase.Until), Is.EqualTo(until));
        Assert.That(SpeechFormat.Date(date, "hu", 2026, DateCase.Of), Is.EqualTo(of));
        Assert.That(SpeechFormat.Date(date, "ro", 2026, DateCase.Until), Is.EqualTo(day == 1 ? "întâi mai" : $"{day} mai"), "Romanian has no such cases");
    }

    [Test]
    public void Registration_numbers_are_said_digit_by_digit()
    {
        Assert.That(SpeechFormat.RegistrationNumber(1204, 2026, "ro"), Is.EqualTo("unu, doi, zero, patru, din anul două mii douăzeci și șase"));
        Assert.That(SpeechFormat.RegistrationNumber(57, 2026, "en"), Is.EqualTo("five, seven, of twenty twenty-six"), "a British speaker says a year in pairs");
        Assert.That(SpeechFormat.RegistrationNumber(57, 2009, "en"), Is.EqualTo("five, seven, of two thousand and nine"));
        Assert.That(SpeechFormat.RegistrationNumber(30, 2026, "hu"), Is.EqualTo("három, nulla, per kétezer-huszonhat"));
    }

    private static readonly Dictionary<string, string> CityHours = new()
    {
        ["Monday"] = "08:00-16:30", ["Tuesday"] = "08:00-16:30", ["Wednesday"] = "08:00-16:30", ["Thursday"] = "08:00-16:30", ["Friday"] = "08:00-14:00",
    };

    [TestCase("ro", "de luni până joi, de la 8 la 16:30, și vineri, de la 8 la 14")]
    [TestCase("en", "Monday to Thursday from 8 a.m. to 4.30 p.m., and Friday from 8 a.m. to 2 p.m.")]
    [TestCase("hu", "hétfőtől csütörtökig 8 és 16:30 óra között, pénteken 8 és 14 óra között")]
    public void Opening_hours_are_said_with_consecutive_days_together(string language, string expected) =>
        Assert.That(SpeechFormat.OpeningHours(CityHours, language), Is.EqualTo(expected));

    [Test]
    public void A_day_apart_with_the_same_hours_is_not_merged_across_a_closed_day()
    {
        var hours = new Dictionary<string, string> { ["Monday"] = "09:00-12:00", ["Wednesday"] = "09:00-12:00" };
        Assert.That(SpeechFormat.OpeningHours(hours, "en"), Is.EqualTo("Monday from 9 a.m. to midday, and Wednesday from 9 a.m. to midday"));
    }

    [Test]
    public void Land_categories_in_a_tax_description_are_translated_and_the_address_is_kept()
    {
        Assert.That(RomanianTerms.TaxDescription("Teren intravilan, Str. Frații Popeea", "en"), Is.EqualTo("Land within the town limits, Str. Frații Popeea"));
        Assert.That(RomanianTerms.TaxDescription("Teren intravilan, Str. Frații Popeea", "hu"), Is.EqualTo("Belterületi telek, Str. Frații Popeea"));
        Assert.That(RomanianTerms.TaxDescription("Teren intravilan, Str. Frații Popeea", "ro"), Is.EqualTo("Teren intravilan, Str. Frații Popeea"));
        Assert.That(RomanianTerms.TaxDescription("Str. Mihai Viteazul 1", "en"), Is.EqualTo("Str. Mihai Viteazul 1"), "an address alone stays as written");
        Assert.That(RomanianTerms.TaxDescription("Viewpoint 3", "en"), Is.EqualTo("Viewpoint 3"), "a category is a whole word");
    }

    [Test]
    public void Holiday_names_are_said_in_the_callers_language()
    {
        Assert.That(RomanianTerms.Holiday("Ziua Națională a României", "en"), Is.EqualTo("Romania's National Day"));
        Assert.That(RomanianTerms.Holiday("Ziua Națională a României", "hu"), Is.EqualTo("Románia nemzeti ünnepe"));
        Assert.That(RomanianTerms.Holiday("A doua zi de Crăciun", "en"), Is.EqualTo("Boxing Day"));
        foreach (var year in new[] { 2026, 2027 })
            foreach (var (_, name) in CitizenCrm.Core.Holidays.LegalHolidays.For(year))
                Assert.That(RomanianTerms.Holiday(name, "en"), Is.Not.EqualTo(name), $"'{name}' has an English name");
    }

    [TestCase("A", "egy, kettő", "Az")]
    [TestCase("A", "kettő, egy", "A")]
    [TestCase("a", "augusztus huszonhetedikei", "az")]
    [TestCase("Az", "november huszonkilencedikei", "A")]
    [TestCase("a", "öt", "az")]
    public void The_Hungarian_article_agrees_with_the_first_sound_of_what_follows(string written, string following, string said) =>
        Assert.That(SpeechFormat.HungarianArticle(written, following), Is.EqualTo(said));
}
