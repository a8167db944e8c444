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

    /// <summary>Null when valid; otherwise a sentence a clerk can act on.</summary>
    public static string? Problem(string? value)
    {
        if (value is null || value.Length != 13 || !value.All(char.IsAsciiDigit))
            return "A CNP has exactly 13 digits.";
        if (value[0] == '0') return "A CNP cannot start with 0.";
        if (BirthDate(value) is null) return "The birth date inside this CNP (digits 2–7) is not a real date.";
        var county = int.Parse(value.AsSpan(7, 2), CultureInfo.InvariantCulture);
        if (!IsKnownCounty(county)) return $"The county code {value.Substring(7, 2)} inside this CNP (digits 8–9) does not exist.";
        if (CheckDigit(value.AsSpan(0, 12)) != value[12] - '0')
            return "This CNP's last digit does not match the others: check it was typed correctly.";
        return null;
    }

    public static bool IsValid(string? value) => Problem(value) is null;

    public static int CheckDigit(ReadOnlySpan<char> first12)
    {
        var sum = 0;
        for (var i = 0; i < 12; i++) sum += (first12[i] - '0') * (Weights[i] - '0');
        var rest = sum % 11;
        return rest == 10 ? 1 : rest;
    }

    /// <summary>
    /// Sex digits 1/2: 1900s, 3/4: 1800s, 5/6: 2000s. 7/8 (residents) and 9 (foreigners) do not say the century:
    /// the 1900s reading is taken unless it is impossible, then the 2000s.
    /// </summary>
    public static DateOnly? BirthDate(string value)
    {
        var yy = int.Parse(value.AsSpan(1, 2), CultureInfo.InvariantCulture);
        var mm = int.Parse(value.AsSpan(3, 2), CultureInfo.InvariantCulture);
        var dd = int.Parse(value.AsSpan(5, 2), CultureInfo.InvariantCulture);
        int[] centuries = value[0] switch
        {
            '1' or '2' => [1900],
            '3' or '4' => [1800],
            '5' or '6' => [2000],
            _ => [1900, 2000],
        };
        foreach (var century in centuries)
        {
            var year = century + yy;
            if (mm is >= 1 and <= 12 && dd >= 1 && dd <= DateTime.DaysInMonth(year, mm))
                return new DateOnly(year, mm, dd);
        }
        return null;
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
