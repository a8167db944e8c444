using System.Security.Cryptography;
using CitizenCrm.Core.Citizens;

namespace CitizenCrm.Core.Intake;

/// <summary>
/// The private access code of a web request: 12 characters of Crockford's base32 (60 random bits), shown once as
/// XXXX-XXXX-XXXX. Stored only as the phone PIN is, HMAC-SHA256 under the key kept outside the database and bound
/// to the case's id (<see cref="PhonePinHasher"/>): a database dump alone reveals no code, and a code opens only its
/// own case. Crockford's alphabet has no I, L, O or U, and reading it back maps I and L to 1 and O to 0, so a code
/// copied from paper still works.
/// </summary>
public static class AccessCodes
{
    public const int Length = 12;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        var chars = new char[Length];
        for (var i = 0; i < Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        var code = new string(chars);
        return $"{code[..4]}-{code[4..8]}-{code[8..]}";
    }

    /// <summary>The code as typed (any case, spaces or dashes) in its canonical form, or null when it cannot be a code.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 40) return null;
        var chars = new List<char>(Length);
        foreach (var ch in typed.ToUpperInvariant())
        {
            if (ch is ' ' or '-') continue;
            var c = ch switch { 'O' => '0', 'I' or 'L' => '1', _ => ch };
            if (!Alphabet.Contains(c)) return null;
            chars.Add(c);
        }
        return chars.Count == Length ? new string(chars.ToArray()) : null;
    }

    public static string Hash(PhonePinHasher hasher, Guid caseId, string code) => hasher.Hash(caseId, Normalize(code) ?? code);

    public static bool Verify(PhonePinHasher hasher, Guid caseId, string? typed, string? storedHash) =>
        Normalize(typed) is { } code && hasher.Verify(caseId, code, storedHash);
}
