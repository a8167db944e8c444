namespace CitizenCrm.Core.Holidays;

/// <summary>
/// Public holidays of the Labour Code (Law 53/2003 art. 139, as amended), computed for any year,
/// Orthodox Easter and Pentecost included. Days the government declares free are added by an admin
/// (see DeclareNonWorkingDay). Checked against the consolidated text listed in shared DOMAIN.md.
/// </summary>
public static class LegalHolidays
{
    public static IReadOnlyList<(DateOnly Day, string Name)> For(int year)
    {
        var easter = OrthodoxEaster(year);
        var days = new List<(DateOnly, string)>
        {
            (new(year, 1, 1), "Anul Nou"),
            (new(year, 1, 2), "Anul Nou"),
            (new(year, 1, 24), "Ziua Unirii Principatelor Române"),
            (easter, "Paștele ortodox"),
            (easter.AddDays(1), "A doua zi de Paște"),
            (new(year, 5, 1), "Ziua Muncii"),
            (easter.AddDays(49), "Rusaliile"),
            (easter.AddDays(50), "A doua zi de Rusalii"),
            (new(year, 8, 15), "Adormirea Maicii Domnului"),
            (new(year, 11, 30), "Sfântul Andrei"),
            (new(year, 12, 1), "Ziua Națională a României"),
            (new(year, 12, 25), "Crăciunul"),
            (new(year, 12, 26), "A doua zi de Crăciun"),
        };
        // Added by later laws: Good Friday from 2018 (Law 64/2018), 1 June from 2017 (Law 220/2016),
        // Epiphany and St John on 6 and 7 January from 2024 (Law 17/2024).
        if (year >= 2018) days.Add((easter.AddDays(-2), "Vinerea Mare"));
        if (year >= 2017) days.Add((new(year, 6, 1), "Ziua Copilului"));
        if (year >= 2024)
        {
            days.Add((new(year, 1, 6), "Boboteaza"));
            days.Add((new(year, 1, 7), "Sfântul Ioan Botezătorul"));
        }
        return days.OrderBy(d => d.Item1).ToList();
    }

    /// <summary>Orthodox Easter: the Julian-calendar computus (Meeus), moved onto the Gregorian calendar.</summary>
    public static DateOnly OrthodoxEaster(int year)
    {
        var a = year % 4;
        var b = year % 7;
        var c = year % 19;
        var d = (19 * c + 15) % 30;
        var e = (2 * a + 4 * b - d + 34) % 7;
        var month = (d + e + 114) / 31;
        var day = (d + e + 114) % 31 + 1;
        var julianToGregorian = year / 100 - year / 400 - 2; // 13 days for 1900–2099
        return new DateOnly(year, month, day).AddDays(julianToGregorian);
    }
}
