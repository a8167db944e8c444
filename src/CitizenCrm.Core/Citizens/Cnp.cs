using System.Globalization;

namespace CitizenCrm.Core.Citizens;

/// <summary>
/// The Romanian personal numeric code, S YY MM DD JJ NNN C (see shared DOMAIN.md: python-stdnum ro/cnp and the
/// Ministry of Internal Affairs statement on county code 70 for CNPs issued since 8 May 2024).
/// Law 190/2018 art. 4: never logged, and shown in lists by its last 4 digits only.
/// </summary>
public static class Cnp
{
    private const string Weights = "279146358279";

    /// <summary>01–46 counties and Bucharest sectors, 47/48 old Bucharest sectors 7 and 8, 51 Călărași, 52 Giurgiu, 70 single code since May 2024.</summary>
    private static bool IsKnownCounty(int county) => county is >= 1 and <= 48 or 51 or 52 or 70;

    /// <summary>
    /// Null when the code is well formed (13 digits, a real date, a known county, the right check digit); otherwise a sentence
    /// a clerk can act on. Whether the birth is after today needs the day: see <see cref="Problem(string?, DateOnly)"/>.
    /// </summary>
    public static string? Problem(string? value)
    {
        if (value is null || value.Length != 13 || !value.All(char.IsAsciiDigit))
            return "A CNP has exactly 13 digits.";
        if (value[0] == '0') return "A CNP cannot start with 0.";
        if (Readings(value).Count == 0) return "The birth date inside this CNP (digits 2–7) is not a real date.";
        var county = int.Parse(value.AsSpan(7, 2), CultureInfo.InvariantCulture);
        if (!IsKnownCounty(county)) return $"The county code {value.Substring(7, 2)} inside this CNP (digits 8–9) does not exist.";
        if (CheckDigit(value.AsSpan(0, 12)) != value[12] - '0')
            return "This CNP's last digit does not match the others: check it was typed correctly.";
        return null;
    }

    /// <summary>
    /// As <see cref="Problem(string?)"/>, and the birth date inside must not be after <paramref name="today"/> (a Bucharest
    /// date): a CNP is given at the registration of a birth, so a future date is a typing error.
    /// </summary>
    public static string? Problem(string? value, DateOnly today)
    {
        if (Problem(value) is { } problem) return problem;
        return BirthDate(value!, today) is null
            ? "The birth date inside this CNP (digits 2–7) is after today: check it was typed correctly."
            : null;
    }

    /// <summary>Well formed (see <see cref="Problem(string?)"/>); the phone uses it before looking a caller up.</summary>
    public static bool IsValid(string? value) => Problem(value) is null;

    public static bool IsValid(string? value, DateOnly today) => Problem(value, today) is null;

    public static int CheckDigit(ReadOnlySpan<char> first12)
    {
        var sum = 0;
        for (var i = 0; i < 12; i++) sum += (first12[i] - '0') * (Weights[i] - '0');
        var rest = sum % 11;
        return rest == 10 ? 1 : rest;
    }

    /// <summary>
    /// The birth date inside the code, or null when it is not a real date or is after <paramref name="today"/>.
    /// Sex digits 1/2: 1900s, 3/4: 1800s, 5/6: 2000s. The digits 7/8 (foreign residents) and 9 (foreigners) do not say the
    /// century (the published structure of the CNP gives the century for 1–6 only: population-records services after the
    /// norms of HG 1375/2006, python-stdnum ro/cnp, the EU PRADO entry ROU-HO-03003; see shared DOMAIN.md): of the 1900s and
    /// 2000s readings, the latest one that is a real date and not after today is taken, so a code
    /// 7 30 05 12 … is 1930, never 2030, and 7 10 05 12 … is 2010, the reading of a living person. A clerk who knows the other
    /// reading is right may still enter it: see <see cref="BirthDateReadings"/>.
    /// </summary>
    public static DateOnly? BirthDate(string value, DateOnly today)
    {
        var readings = BirthDateReadings(value, today);
        return readings.Count == 0 ? null : readings[0];
    }

    /// <summary>
    /// Every birth date the code can mean that is not after <paramref name="today"/>, latest first: one for sex digits 1–6,
    /// up to two (2000s, 1900s) for 7, 8 and 9.
    /// </summary>
    public static IReadOnlyList<DateOnly> BirthDateReadings(string value, DateOnly today) =>
        Readings(value).Where(d => d <= today).ToList();

    /// <summary>The real dates the digits 2–7 can mean, latest century first.</summary>
    private static List<DateOnly> Readings(string value)
    {
        var yy = int.Parse(value.AsSpan(1, 2), CultureInfo.InvariantCulture);
        var mm = int.Parse(value.AsSpan(3, 2), CultureInfo.InvariantCulture);
        var dd = int.Parse(value.AsSpan(5, 2), CultureInfo.InvariantCulture);
        int[] centuries = value[0] switch
        {
            '1' or '2' => [1900],
            '3' or '4' => [1800],
            '5' or '6' => [2000],
            _ => [2000, 1900],
        };
        var result = new List<DateOnly>(2);
        foreach (var century in centuries)
        {
            var year = century + yy;
            if (mm is >= 1 and <= 12 && dd >= 1 && dd <= DateTime.DaysInMonth(year, mm))
                result.Add(new DateOnly(year, mm, dd));
        }
        return result;
    }

    /// <summary>Builds a valid CNP from its parts (demo data and tests).</summary>
    public static string Compose(int sexDigit, DateOnly birth, int county, int serial)
    {
        var first12 = string.Create(CultureInfo.InvariantCulture, $"{sexDigit}{birth.Year % 100:00}{birth.Month:00}{birth.Day:00}{county:00}{serial:000}");
        return first12 + CheckDigit(first12);
    }

    /// <summary>"*********3457": enough for a clerk to tell two people apart, not enough to rebuild the code.</summary>
    public static string Mask(string nationalId) =>
        nationalId.Length <= 4 ? new string('*', nationalId.Length) : new string('*', nationalId.Length - 4) + nationalId[^4..];
}
