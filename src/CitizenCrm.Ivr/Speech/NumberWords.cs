namespace CitizenCrm.Ivr.Speech;

/// <summary>
/// Cardinal numbers as a person says them, in Romanian, English and Hungarian. Text-to-speech voices read
/// digits inconsistently ("1.234,50" may come out as "one point two three four"), so amounts are written out.
/// </summary>
public static class NumberWords
{
    // ---- Romanian -------------------------------------------------------------------------------
    // Gender matters: "un leu, doi lei" (masculine) but "o mie, două mii, o amendă" (feminine).
    // Grammar (Gramatica limbii române): numbers from 20 take "de" before the noun unless they end in 01–19:
    // "douăzeci de lei", "o sută de lei", "o sută doi lei", "o mie nouăsprezece lei".

    private static readonly string[] RoTeens =
        ["zece", "unsprezece", "doisprezece", "treisprezece", "paisprezece", "cincisprezece", "șaisprezece", "șaptesprezece", "optsprezece", "nouăsprezece"];
    private static readonly string[] RoTens = ["", "", "douăzeci", "treizeci", "patruzeci", "cincizeci", "șaizeci", "șaptezeci", "optzeci", "nouăzeci"];
    private static readonly string[] RoUnits = ["zero", "unu", "doi", "trei", "patru", "cinci", "șase", "șapte", "opt", "nouă"];

    /// <summary>True when Romanian puts "de" between this number and its noun.</summary>
    public static bool RomanianTakesDe(long n) => n >= 20 && (n % 100 == 0 || n % 100 >= 20);

    /// <param name="feminine">Agree with a feminine noun ("două amenzi", "douăsprezece mii").</param>
    /// <param name="beforeNoun">1 said as "un"/"o" ("un leu", "o amendă") rather than "unu"/"una".</param>
    public static string Romanian(long n, bool feminine = false, bool beforeNoun = false)
    {
        if (n < 0) return "minus " + Romanian(-n, feminine, beforeNoun);
        if (n == 0) return "zero";
        if (n == 1) return beforeNoun ? (feminine ? "o" : "un") : (feminine ? "una" : "unu");
        var parts = new List<string>();
        var millions = n / 1_000_000;
        var thousands = n / 1000 % 1000;
        var rest = n % 1000;
        if (millions > 0)
            parts.Add(millions switch
            {
                1 => "un milion",
                2 => "două milioane",
                _ => Romanian(millions, feminine: true) + (RomanianTakesDe(millions) ? " de milioane" : " milioane"),
            });
        if (thousands > 0)
            parts.Add(thousands switch
            {
                1 => "o mie",
                2 => "două mii",
                _ => Romanian(thousands, feminine: true) + (RomanianTakesDe(thousands) ? " de mii" : " mii"),
            });
        if (rest > 0) parts.Add(RomanianBelowThousand((int)rest, feminine));
        return string.Join(' ', parts);
    }

    private static string RomanianBelowThousand(int n, bool feminine)
    {
        var parts = new List<string>();
        var hundreds = n / 100;
        if (hundreds == 1) parts.Add("o sută");
        else if (hundreds == 2) parts.Add("două sute");
        else if (hundreds > 2) parts.Add(RoUnits[hundreds] + " sute");
        var rest = n % 100;
        if (rest > 0) parts.Add(RomanianBelowHundred(rest, feminine));
        return string.Join(' ', parts);
    }

    private static string RomanianBelowHundred(int n, bool feminine)
    {
        if (n < 10) return n switch
        {
            1 => feminine ? "una" : "unu",
            2 => feminine ? "două" : "doi",
            _ => RoUnits[n],
        };
        if (n < 20) return n == 12 && feminine ? "douăsprezece" : RoTeens[n - 10];
        var tens = RoTens[n / 10];
        var unit = n % 10;
        return unit == 0 ? tens : $"{tens} și {RomanianBelowHundred(unit, feminine)}";
    }

    // ---- English (British) ------------------------------------------------------------------------
    // British English says "and" before the tens and units after a hundred or a thousand: "one hundred and three",
    // "one thousand five hundred and three", "two thousand and twenty-six" (Oxford/Cambridge grammars; the en-GB voices
    // say it so too). American English leaves the "and" out: the voice is British, so the words are.

    private static readonly string[] EnSmall =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
         "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
    private static readonly string[] EnTens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    public static string English(long n)
    {
        if (n < 0) return "minus " + English(-n);
        if (n < 100) return EnglishBelowHundred((int)n);
        var groups = new List<string>();
        if (n >= 1_000_000) groups.Add(English(n / 1_000_000) + " million");
        if (n / 1000 % 1000 > 0) groups.Add(EnglishBelowThousand((int)(n / 1000 % 1000)) + " thousand");
        var rest = (int)(n % 1000);
        if (rest >= 100) groups.Add(EnglishBelowThousand(rest));
        else if (rest > 0) groups.Add("and " + EnglishBelowHundred(rest));
        return string.Join(' ', groups);
    }

    /// <summary>A year as a British speaker says it: "twenty twenty-six", "two thousand and nine", "nineteen ninety-nine".</summary>
    public static string EnglishYear(int year) => year switch
    {
        >= 2000 and < 2010 => English(year),
        >= 1100 and < 10000 when year % 100 == 0 => English(year),
        >= 1100 and < 10000 when year % 100 < 10 => EnglishBelowHundred(year / 100) + " oh " + EnSmall[year % 10],
        >= 1100 and < 10000 => EnglishBelowHundred(year / 100) + " " + EnglishBelowHundred(year % 100),
        _ => English(year),
    };

    private static string EnglishBelowThousand(int n)
    {
        if (n < 100) return EnglishBelowHundred(n);
        return EnSmall[n / 100] + " hundred" + (n % 100 == 0 ? "" : " and " + EnglishBelowHundred(n % 100));
    }

    private static string EnglishBelowHundred(int n) =>
        n < 20 ? EnSmall[n] : EnTens[n / 10] + (n % 10 == 0 ? "" : "-" + EnSmall[n % 10]);

    // ---- Hungarian ------------------------------------------------------------------------------
    // Written as one word up to 2000; above 2000 the groups of three are joined by hyphens
    // ("ezerkétszázharmincnégy", "kétezer-háromszáznegyvenöt"). "kettő" stands alone, "két" before a noun
    // or inside a compound ("két lej", "kétszáz", "huszonkét bani").

    private static readonly string[] HuUnits = ["", "egy", "kettő", "három", "négy", "öt", "hat", "hét", "nyolc", "kilenc"];
    private static readonly string[] HuTensAlone = ["", "tíz", "húsz", "harminc", "negyven", "ötven", "hatvan", "hetven", "nyolcvan", "kilencven"];
    private static readonly string[] HuTensJoined = ["", "tizen", "huszon", "harminc", "negyven", "ötven", "hatvan", "hetven", "nyolcvan", "kilencven"];

    public static string Hungarian(long n, bool beforeNoun = false)
    {
        if (n < 0) return "mínusz " + Hungarian(-n, beforeNoun);
        if (n == 0) return "nulla";
        var millions = n / 1_000_000;
        var thousands = n / 1000 % 1000;
        var rest = n % 1000;
        var groups = new List<string>();
        if (millions > 0) groups.Add(HungarianBelowThousand((int)millions, compound: true) + "millió");
        if (thousands > 0) groups.Add((thousands == 1 ? "" : HungarianBelowThousand((int)thousands, compound: true)) + "ezer");
        if (rest > 0) groups.Add(HungarianBelowThousand((int)rest, compound: beforeNoun));
        return n > 2000 ? string.Join('-', groups) : string.Concat(groups);
    }

    private static string HungarianBelowThousand(int n, bool compound)
    {
        var hundreds = n / 100;
        var tens = n / 10 % 10;
        var unit = n % 10;
        var text = hundreds switch { 0 => "", 1 => "száz", 2 => "kétszáz", _ => HuUnits[hundreds] + "száz" };
        if (unit == 0) text += HuTensAlone[tens];
        else text += HuTensJoined[tens] + (unit == 2 && compound ? "két" : HuUnits[unit]);
        return text;
    }

    // Days of the month in Hungarian dates are ordinals with a possessive ending: "március ötödike", "május elseje"; the
    // case endings follow vowel harmony: "ötödikén" (on), "ötödikéig" (until), "ötödikei" (of); "huszadikán", "huszadikáig".
    private static readonly string[] HuOrdinalUnits = ["", "egyedik", "kettedik", "harmadik", "negyedik", "ötödik", "hatodik", "hetedik", "nyolcadik", "kilencedik"];
    private static readonly string[] HuOrdinalTens = ["", "tizedik", "huszadik", "harmincadik"];

    /// <summary>The day of a Hungarian date as said: 1 "elseje", 2 "másodika", 5 "ötödike", 20 "huszadika", 31 "harmincegyedike".</summary>
    public static string HungarianDayOfMonth(int day)
    {
        if (day is < 1 or > 31) throw new ArgumentOutOfRangeException(nameof(day));
        if (day == 1) return "elseje";
        if (day == 2) return "másodika";
        var ordinal = day % 10 == 0 ? HuOrdinalTens[day / 10] : HuTensJoined[day / 10] + HuOrdinalUnits[day % 10];
        // Back-vowel ordinals (harmadik, hatodik, nyolcadik, huszadik, harmincadik) take -a, the others -e.
        var back = ordinal.EndsWith("adik", StringComparison.Ordinal) || ordinal.EndsWith("odik", StringComparison.Ordinal);
        return ordinal + (back ? "a" : "e");
    }
}
