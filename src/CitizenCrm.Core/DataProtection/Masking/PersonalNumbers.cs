using System.Text.RegularExpressions;
using CitizenCrm.Core.Citizens;

namespace CitizenCrm.Core.DataProtection.Masking;

/// <summary>
/// An answer that carries CNPs or phone numbers, and the same answer with them masked. The staff API sends the masked
/// one unless the caller asks with ?reveal=true (GDPR art. 5(1)(c) data minimisation, art. 25(2) "by default"): a clerk
/// tells two people apart by "*********3457" and "+407******67", and asks for the whole number only to use it.
/// </summary>
public interface IMaskable<out TSelf>
{
    TSelf Masked();
}

/// <summary>The masks, in one place: <see cref="Cnp.Mask"/> for national ids, <see cref="PhoneNumber.Mask"/> for phones.</summary>
public static partial class PersonalNumbers
{
    /// <summary>A national id of any type: a passport or a foreign id identifies its holder as well as a CNP.</summary>
    public static string NationalId(string nationalId) => Cnp.Mask(nationalId);

    public static string? Phone(string? e164) => e164 is null ? null : PhoneNumber.Mask(e164);

    public static IReadOnlyList<string> Phones(IReadOnlyList<string> e164s) => e164s.Select(p => PhoneNumber.Mask(p)).ToArray();

    /// <summary>
    /// Free text a clerk typed (a contact party's details: "tel. 0745 333 444, Str. Florilor 3") with every valid phone
    /// number and CNP in it masked, the rest kept: the address or e-mail beside it is how the answer reaches the person.
    /// </summary>
    public static string? InText(string? text) => text is null ? null : Candidate().Replace(text, m =>
    {
        var digits = Separators().Replace(m.Value, "");
        if (digits.Length == 13 && Cnp.IsValid(digits)) return Cnp.Mask(digits);
        return PhoneNumber.ToE164(m.Value) is { } e164 ? PhoneNumber.Mask(e164) : m.Value;
    });

    [GeneratedRegex(@"\+?\d[\d \t.\-()/]{6,}\d")]
    private static partial Regex Candidate();

    [GeneratedRegex(@"[^\d+]")]
    private static partial Regex Separators();
}
