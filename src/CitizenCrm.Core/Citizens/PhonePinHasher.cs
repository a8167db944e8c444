using System.Security.Cryptography;
using System.Text;

namespace CitizenCrm.Core.Citizens;

/// <summary>
/// Phone PINs are stored as HMAC-SHA256 under a key kept outside the database: a 4-digit PIN has only
/// 10,000 values, so a plain or salted hash in a dump would be reversed in a moment; without the key it cannot.
/// Losing the key voids every PIN (the README says so): citizens then get new PINs at the desk.
/// </summary>
public sealed class PhonePinHasher(byte[] key)
{
    public const int PinLength = 4;

    public string Hash(Guid citizenId, string pin) =>
        Convert.ToHexString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{citizenId:N}:{pin}")));

    public bool Verify(Guid citizenId, string pin, string? storedHash) =>
        storedHash is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(citizenId, pin)), Encoding.ASCII.GetBytes(storedHash));

    public static string NewPin() => RandomNumberGenerator.GetInt32(0, 10_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The key from CITIZENCRM_PIN_KEY (base64, at least 32 bytes), else from a file made on first start.</summary>
    public static byte[] LoadOrCreateKey(string? fromEnvironment, string keyFile)
    {
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var key = Convert.FromBase64String(fromEnvironment.Trim());
            if (key.Length < 32) throw new InvalidOperationException("CITIZENCRM_PIN_KEY must be at least 32 bytes, base64-encoded.");
            return key;
        }
        if (File.Exists(keyFile)) return Convert.FromBase64String(File.ReadAllText(keyFile).Trim());

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        var created = RandomNumberGenerator.GetBytes(32);
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(keyFile, fileOptions))
        using (var writer = new StreamWriter(stream))
            writer.Write(Convert.ToBase64String(created));
        return created;
    }
}
