using System.Globalization;
using System.Text;

namespace CitizenCrm.Core.Citizens;

/// <summary>
/// Folds names for search: lower-case, diacritics removed, so "Stefan" finds "Ștefan" and "Szabo" finds "Szabó".
/// </summary>
public static class NameFolding
{
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    public static IReadOnlyList<string> Tokens(params string?[] parts) =>
        parts.Where(p => !string.IsNullOrWhiteSpace(p))
            .SelectMany(p => Fold(p!).Split([' ', '-', '\'', '.', ','], StringSplitOptions.RemoveEmptyEntries))
            .Select(t => t.Length > 100 ? t[..100] : t)
            .Distinct()
            .ToList();
}
