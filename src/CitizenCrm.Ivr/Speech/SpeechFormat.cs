using System.Globalization;

namespace CitizenCrm.Ivr.Speech;

/// <summary>Money, dates and registration numbers as a person says them, per language (ro, en, hu).</summary>
public static class SpeechFormat
{
    private static readonly string[] RoMonths = ["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie", "octombrie", "noiembrie", "decembrie"];
    private static readonly string[] EnMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] HuMonths = ["január", "február", "március", "április", "május", "június", "július", "augusztus", "szeptember", "október", "november", "december"];

    /// <summary>1234.50 lei: "o mie două sute treizeci și patru de lei și cincizeci de bani".</summary>
    public static string Money(decimal amount, string language)
    {
        var negative = amount < 0;
        amount = Math.Abs(Math.Round(amount, 2, MidpointRounding.AwayFromZero));
        var lei = (long)decimal.Truncate(amount);
        var bani = (int)((amount - lei) * 100);
        var text = language switch
        {
            "en" => Join(lei, bani, l => NumberWords.English(l) + (l == 1 ? " leu" : " lei"), b => NumberWords.English(b) + (b == 1 ? " ban" : " bani"), " and ", "zero lei"),
            "hu" => Join(lei, bani, l => NumberWords.Hungarian(l, beforeNoun: true) + " lej", b => NumberWords.Hungarian(b, beforeNoun: true) + " bani", " és ", "nulla lej"),
            _ => Join(lei, bani, RomanianLei, RomanianBani, " și ", "zero lei"),
        };
        return negative ? (language switch { "en" => "minus ", "hu" => "mínusz ", _ => "minus " }) + text : text;
    }

    private static string RomanianLei(long lei) => lei == 1 ? "un leu" : NumberWords.Romanian(lei) + (NumberWords.RomanianTakesDe(lei) ? " de lei" : " lei");
    private static string RomanianBani(long bani) => bani == 1 ? "un ban" : NumberWords.Romanian(bani) + (NumberWords.RomanianTakesDe(bani) ? " de bani" : " bani");

    private static string Join(long lei, int bani, Func<long, string> leiWords, Func<long, string> baniWords, string and, string zero) =>
        (lei, bani) switch
        {
            (0, 0) => zero,
            (0, _) => baniWords(bani),
            (_, 0) => leiWords(lei),
            _ => leiWords(lei) + and + baniWords(bani),
        };

    /// <summary>"31 martie", "întâi aprilie", "31 March", "március harmincegyedike"; the year only when it is not the current one.</summary>
    public static string Date(DateOnly date, string language, int currentYear) => Date(date, language, currentYear, DateCase.Plain);

    /// <summary>
    /// A date as the sentence around it needs it. Only Hungarian marks it on the date itself: "március ötödike" (plain),
    /// "március ötödikén" (on), "március ötödikéig" (by), "a március ötödikei bírság" (of). The day is written in words so
    /// the voice cannot read "5." as a cardinal, and the year too ("kétezer-huszonhét március ötödikéig").
    /// </summary>
    public static string Date(DateOnly date, string language, int currentYear, DateCase form)
    {
        var withYear = date.Year != currentYear;
        var year = date.Year.ToString(CultureInfo.InvariantCulture);
        return language switch
        {
            "en" => $"{date.Day} {EnMonths[date.Month - 1]}{(withYear ? " " + year : "")}",
            "hu" => $"{(withYear ? NumberWords.Hungarian(date.Year) + " " : "")}{HuMonths[date.Month - 1]} {HungarianDay(date.Day, form)}",
            // Romanian says the first of the month as "întâi" (ordinal), the other days as cardinals.
            _ => $"{(date.Day == 1 ? "întâi" : date.Day.ToString(CultureInfo.InvariantCulture))} {RoMonths[date.Month - 1]}{(withYear ? " " + year : "")}",
        };
    }

    private static string HungarianDay(int day, DateCase form)
    {
        var plain = NumberWords.HungarianDayOfMonth(day);
        var stem = plain[..^1] + (plain[^1] == 'a' ? "á" : "é");   // the final vowel lengthens before -n and -ig
        return form switch
        {
            DateCase.On => stem + "n",
            DateCase.Until => stem + "ig",
            DateCase.Of => plain + "i",
            _ => plain,
        };
    }

    /// <summary>
    /// Hungarian's definite article is "az" before a vowel sound and "a" before a consonant ("az egy", "az augusztus",
    /// "a március"). Where a prompt puts the article before a variable, the value decides which one is said.
    /// </summary>
    public static string HungarianArticle(string article, string following)
    {
        var vowel = following.Length > 0 && "aáeéiíoóöőuúüűAÁEÉIÍOÓÖŐUÚÜŰ".Contains(following[0]);
        var capital = article.Length > 0 && char.IsUpper(article[0]);
        return (vowel, capital) switch { (true, true) => "Az", (true, false) => "az", (false, true) => "A", _ => "a" };
    }

    /// <summary>A count with its noun: "o amendă", "două amenzi", "douăzeci de amenzi"; "one fine", "2 fines"; "két bírság".</summary>
    public static string Count(int n, string language, string singular, string plural, bool feminine = true) => language switch
    {
        "en" => $"{NumberWords.English(n)} {(n == 1 ? singular : plural)}",
        "hu" => $"{NumberWords.Hungarian(n, beforeNoun: true)} {singular}",   // Hungarian nouns stay singular after a number
        _ => n == 1 ? $"{NumberWords.Romanian(1, feminine, beforeNoun: true)} {singular}"
            : $"{NumberWords.Romanian(n, feminine)}{(NumberWords.RomanianTakesDe(n) ? " de " : " ")}{plural}",
    };

    /// <summary>"1234/2026" digit by digit, then the year as a number: "unu doi trei patru din anul două mii douăzeci și șase".</summary>
    public static string RegistrationNumber(int number, int year, string language)
    {
        var digits = number.ToString(CultureInfo.InvariantCulture).Select(c => Digit(c - '0', language));
        var spoken = string.Join(", ", digits);
        return language switch
        {
            "en" => $"{spoken}, of {NumberWords.EnglishYear(year)}",
            "hu" => $"{spoken}, per {NumberWords.Hungarian(year)}",
            _ => $"{spoken}, din anul {NumberWords.Romanian(year)}",
        };
    }

    public static string Digit(int d, string language) => language switch
    {
        "en" => NumberWords.English(d),
        "hu" => d == 0 ? "nulla" : NumberWords.Hungarian(d),
        _ => NumberWords.Romanian(d),
    };

    private static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];
    private static readonly string[] RoDays = ["luni", "marți", "miercuri", "joi", "vineri", "sâmbătă", "duminică"];
    private static readonly string[] EnDays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    // Hungarian marks "on", "from" and "until" with case endings: pénteken, hétfőtől, csütörtökig.
    private static readonly string[] HuOn = ["hétfőn", "kedden", "szerdán", "csütörtökön", "pénteken", "szombaton", "vasárnap"];
    private static readonly string[] HuFrom = ["hétfőtől", "keddtől", "szerdától", "csütörtöktől", "péntektől", "szombattól", "vasárnaptól"];
    private static readonly string[] HuUntil = ["hétfőig", "keddig", "szerdáig", "csütörtökig", "péntekig", "szombatig", "vasárnapig"];

    /// <summary>
    /// The opening hours as said aloud, consecutive days with the same hours together:
    /// "de luni până joi, de la 8 la 16:30, și vineri, de la 8 la 14".
    /// </summary>
    public static string OpeningHours(IReadOnlyDictionary<string, string> hours, string language)
    {
        var groups = new List<(int First, int Last, string Span)>();
        for (var d = 0; d < Week.Length; d++)
        {
            if (!hours.TryGetValue(Week[d].ToString(), out var span) || string.IsNullOrWhiteSpace(span)) continue;
            if (groups.Count > 0 && groups[^1].Last == d - 1 && groups[^1].Span == span) groups[^1] = (groups[^1].First, d, span);
            else groups.Add((d, d, span));
        }
        var parts = groups.Select(g =>
        {
            var times = g.Span.Split('-', StringSplitOptions.TrimEntries);
            string from = Time(times[0], language), to = Time(times[1], language);
            return language switch
            {
                "en" => (g.First == g.Last ? EnDays[g.First] : $"{EnDays[g.First]} to {EnDays[g.Last]}") + $" from {from} to {to}",
                "hu" => (g.First == g.Last ? HuOn[g.First] : $"{HuFrom[g.First]} {HuUntil[g.Last]}") + $" {from} és {to} óra között",
                _ => (g.First == g.Last ? RoDays[g.First] : $"de {RoDays[g.First]} până {RoDays[g.Last]}") + $", de la {from} la {to}",
            };
        }).ToList();
        var and = language switch { "en" => ", and ", "hu" => ", ", _ => ", și " };
        return parts.Count switch
        {
            0 => language switch { "en" => "by appointment only", "hu" => "csak előzetes egyeztetéssel", _ => "doar cu programare" },
            1 => parts[0],
            _ => string.Join(language == "ro" ? "; " : ", ", parts[..^1]) + and + parts[^1],
        };
    }

    /// <summary>
    /// "08:00" is said "8"; "16:30" stays "16:30", which the Romanian and Hungarian voices read as a time. British English
    /// uses the 12-hour clock with a.m. and p.m., minutes after a full stop: "8 a.m.", "4.30 p.m." (New Hart's Rules, Oxford),
    /// and "midday" rather than "12 p.m.", which listeners take either way (GOV.UK style guide, "Times").
    /// </summary>
    private static string Time(string hhmm, string language)
    {
        var t = TimeOnly.ParseExact(hhmm, "HH:mm", CultureInfo.InvariantCulture);
        if (language == "en")
        {
            if (t == new TimeOnly(12, 0)) return "midday";
            if (t == TimeOnly.MinValue) return "midnight";
            var hour = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
            var clock = t.Minute == 0 ? hour.ToString(CultureInfo.InvariantCulture) : $"{hour}.{t.Minute:D2}";
            return clock + (t.Hour < 12 ? " a.m." : " p.m.");
        }
        return t.Minute == 0 ? t.Hour.ToString(CultureInfo.InvariantCulture) : t.ToString("H:mm", CultureInfo.InvariantCulture);
    }
}

/// <summary>The form a date takes in its sentence (Hungarian marks it with a case ending; Romanian and English do not).</summary>
public enum DateCase { Plain, On, Until, Of }
