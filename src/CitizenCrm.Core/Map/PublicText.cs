using System.Text.RegularExpressions;
using PhoneNumbers;

namespace CitizenCrm.Core.Map;

/// <summary>
/// A reporter's free text as the public may read it. People write their own details into a description ("call me,
/// Ion Popescu, 0722 123 456"); a public answer never carries a reporter's name, e-mail or phone, so e-mail addresses,
/// phone numbers (as libphonenumber finds them in Romanian text), 13-digit CNPs and the words of the reporter's own
/// name are replaced by "[…]". The staff see the text as written.
/// </summary>
public static partial class PublicText
{
    public const string Removed = "[…]";

    [GeneratedRegex(@"[\p{L}0-9._%+\-]+@[\p{L}0-9\-]+(\.[\p{L}0-9\-]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex EmailAddress();

    // A CNP is 13 digits starting 1–9 (and a phone number finder would not see it).
    [GeneratedRegex(@"(?<!\d)[1-9]\d{12}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Cnp();

    public static string? Redact(string? text, IEnumerable<string?> reporterNames)
    {
        if (string.IsNullOrWhiteSpace(text)) return text;
        var s = EmailAddress().Replace(text, Removed);
        s = Cnp().Replace(s, Removed);
        foreach (var found in PhoneNumberUtil.GetInstance().FindNumbers(s, "RO", PhoneNumberUtil.Leniency.POSSIBLE, long.MaxValue)
                     .OrderByDescending(m => m.Start).ToList())
            s = s.Remove(found.Start, found.Length).Insert(found.Start, Removed);
        var words = reporterNames.Where(n => !string.IsNullOrWhiteSpace(n))
            .SelectMany(n => n!.Split([' ', '-', '.', ','], StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length >= 3).Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var word in words)
            s = Regex.Replace(s, $@"(?<!\p{{L}}){Regex.Escape(word)}(?!\p{{L}})", Removed, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return s;
    }
}
