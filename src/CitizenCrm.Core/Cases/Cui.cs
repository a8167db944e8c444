namespace CitizenCrm.Core.Cases;

/// <summary>
/// The Romanian fiscal code of an organisation (CUI / CIF): 2 to 10 digits, the last a check digit, optionally
/// written with the "RO" prefix of VAT payers. Check digit: the other digits, right-aligned under the key
/// 7 5 3 2 1 7 5 3 2, are multiplied and summed; the sum times 10 modulo 11 is the check digit (10 gives 0).
/// [ANAF algorithm; python-stdnum ro/cui]
/// </summary>
public static class Cui
{
    private static readonly int[] Key = [7, 5, 3, 2, 1, 7, 5, 3, 2];

    /// <summary>Digits only, without "RO" and spaces; null if it does not look like a CUI at all.</summary>
    public static string? Normalize(string? text)
    {
        if (text is null) return null;
        var t = text.Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
        if (t.StartsWith("RO", StringComparison.Ordinal)) t = t[2..];
        return t.Length is >= 2 and <= 10 && t.All(char.IsAsciiDigit) ? t : null;
    }

    public static int CheckDigit(ReadOnlySpan<char> body)
    {
        var sum = 0;
        var offset = Key.Length - body.Length;
        for (var i = 0; i < body.Length; i++) sum += (body[i] - '0') * Key[offset + i];
        var check = sum * 10 % 11;
        return check == 10 ? 0 : check;
    }

    /// <summary>A sentence a clerk can act on, or null when the CUI is valid.</summary>
    public static string? Problem(string? text)
    {
        if (Normalize(text) is not { } digits)
            return "A CUI has 2 to 10 digits (the 'RO' prefix of VAT payers is allowed).";
        return CheckDigit(digits.AsSpan(0, digits.Length - 1)) == digits[^1] - '0'
            ? null
            : "This CUI's last digit (the check digit) does not match; check the number on the organisation's papers.";
    }
}
