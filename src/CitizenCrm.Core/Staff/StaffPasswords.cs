using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CitizenCrm.Core.Common;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Staff;

/// <summary>
/// PBKDF2-SHA512 with a random salt, the iteration count stored in the hash so it can rise later.
/// Hashing is slow on purpose, so callers do it before a command opens its transaction:
/// SQLite has one writer, and a write lock must never wait on a password hash.
/// </summary>
public sealed class StaffPasswords(IOptions<StaffOptions> options)
{
    private const string Scheme = "pbkdf2-sha512";

    public void CheckPolicy(string? password, string field = "password")
    {
        var v = new Validation();
        CheckPolicy(v, password, field);
        v.ThrowIfInvalid();
    }

    /// <summary>Adds the password's problems to the request's own, so the admin sees every field error at once.</summary>
    public void CheckPolicy(Validation v, string? password, string field = "password")
    {
        var min = options.Value.MinimumPasswordLength;
        if (string.IsNullOrEmpty(password) || password.Length < min)
            v.Add(field, $"The password must have at least {min} characters.");
        else if (password.Length > 200)
            v.Add(field, "The password must have at most 200 characters.");
    }

    public string Hash(string password)
    {
        var iterations = options.Value.PasswordIterations;
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, 32);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public bool Verify(string password, string? stored)
    {
        // An unknown user still costs one hash, so timing does not tell which user names exist.
        var parts = (stored ?? "").Split('$');
        if (parts.Length != 4 || parts[0] != Scheme)
        {
            Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), new byte[16], options.Value.PasswordIterations, HashAlgorithmName.SHA512, 32);
            return false;
        }
        var iterations = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(parts[2]), iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
