using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using CitizenCrm.Core.Storage;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Server.Hosting;

/// <summary>
/// ASP.NET Core's data-protection keys (behind cookies, anti-forgery tokens and anything else protected with
/// IDataProtector) kept in the database, so that every node of a cluster reads what any node protected. Without this each
/// node makes its own key ring in its user profile (~/.aspnet/DataProtection-Keys), in clear.
/// </summary>
public static class DataProtectionKeys
{
    /// <summary>
    /// The same on every node: ASP.NET Core otherwise isolates applications by their content root path, and two nodes
    /// installed in different folders would not read each other's tokens.
    /// </summary>
    public const string ApplicationName = "CitizenCRM";

    /// <summary>Called from ServerApp after DatabaseStartup is registered (see the comment inside).</summary>
    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<KeyRingEncryptionKey>();
        services.AddOptions<KeyManagementOptions>().Configure<IDatabase, KeyRingEncryptionKey, TimeProvider>((o, database, key, clock) =>
        {
            o.XmlRepository = new DatabaseKeyRepository(database, clock);
            o.XmlEncryptor = new KeyRingEncryptor(key);
        });
        // Data protection loads its key ring in a hosted service of its own, registered by AddAuthentication before
        // DatabaseStartup: on a fresh database it would read the table before the migration that makes it. Moved behind
        // DatabaseStartup (hosted services start in the order they are registered), it finds the schema ready.
        var keyRingLoad = services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.Assembly == typeof(KeyManagementOptions).Assembly).ToList();
        foreach (var descriptor in keyRingLoad)
        {
            services.Remove(descriptor);
            services.Add(descriptor);
        }
        return services;
    }
}

/// <summary>The key ring's elements as rows of data_protection_keys (migration 0022).</summary>
public sealed class DatabaseKeyRepository(IDatabase database, TimeProvider clock) : IXmlRepository
{
    private const string SelectAll = "SELECT xml FROM data_protection_keys ORDER BY id";
    private const string Insert = "INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@Name, @Xml, @At)";

    // IXmlRepository is synchronous. ASP.NET Core calls it when it loads the ring: at start, then about once a day, or
    // when it meets a key it does not know yet (one made by another node); a request waits for one short query then.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        return connection.Query<string>(database.Dialect.Render(SelectAll)).Select(x => XElement.Parse(x)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        connection.Execute(database.Dialect.Render(Insert), new
        {
            Name = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting), At = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        });
    }
}

/// <summary>
/// The key that encrypts the data-protection keys before they reach the database, since a database dump or a replica must
/// not hand out the means to forge a token. It is derived (HKDF-SHA256, with a label of its own) from the phone-PIN key,
/// the secret every node already holds outside the database and the administrator already backs up apart from it
/// (CITIZENCRM_PIN_KEY, or phone-pin.key in the data folder): no second secret to hand to each node, and a node given a
/// different PIN key, which would turn away every caller's PIN, says so at its first token.
/// </summary>
public sealed class KeyRingEncryptionKey
{
    private static readonly byte[] Label = "CitizenCRM data-protection key ring at rest, v1"u8.ToArray();

    public KeyRingEncryptionKey(CitizenCrm.Core.Citizens.PhonePinHasher pinHasher, IOptions<DatabaseOptions> options)
    {
        _ = pinHasher; // constructed first: it creates the key file on a first start, so the two read one key
        var pinKey = CitizenCrm.Core.Citizens.PhonePinHasher.LoadOrCreateKey(
            Environment.GetEnvironmentVariable("CITIZENCRM_PIN_KEY"), Path.Combine(options.Value.DataFolder, "phone-pin.key"));
        Bytes = HKDF.DeriveKey(HashAlgorithmName.SHA256, pinKey, 32, salt: [], info: Label);
        CryptographicOperations.ZeroMemory(pinKey);
    }

    internal byte[] Bytes { get; }
}

/// <summary>AES-256-GCM over the key's secret element: nonce, tag and ciphertext in one base64 value.</summary>
public sealed class KeyRingEncryptor(KeyRingEncryptionKey key) : IXmlEncryptor
{
    internal const int NonceBytes = 12, TagBytes = 16;
    internal static readonly byte[] AssociatedData = "CitizenCRM data-protection key"u8.ToArray();

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceBytes + TagBytes + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key.Bytes, TagBytes))
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), AssociatedData);
        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement("encryptedKey",
            new XComment(" AES-256-GCM under a key derived from the phone-PIN key (CITIZENCRM_PIN_KEY or phone-pin.key), which is not in the database "),
            new XElement("value", Convert.ToBase64String(sealedBytes)));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}

/// <summary>Made by ASP.NET Core from the type named in the stored XML, with the service provider as its argument.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetRequiredService<KeyRingEncryptionKey>();
        var sealedBytes = Convert.FromBase64String((string?)encryptedElement.Element("value")
            ?? throw new CryptographicException("An encrypted data-protection key has no value."));
        if (sealedBytes.Length < KeyRingEncryptor.NonceBytes + KeyRingEncryptor.TagBytes)
            throw new CryptographicException("An encrypted data-protection key is too short.");
        var plaintext = new byte[sealedBytes.Length - KeyRingEncryptor.NonceBytes - KeyRingEncryptor.TagBytes];
        try
        {
            using var aes = new AesGcm(key.Bytes, KeyRingEncryptor.TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, KeyRingEncryptor.NonceBytes), sealedBytes.AsSpan(KeyRingEncryptor.NonceBytes + KeyRingEncryptor.TagBytes),
                sealedBytes.AsSpan(KeyRingEncryptor.NonceBytes, KeyRingEncryptor.TagBytes), plaintext, KeyRingEncryptor.AssociatedData);
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CryptographicException(
                "This node cannot read the shared data-protection keys: its phone-PIN key differs from the one of the node that " +
                "wrote them. Give every node the same key (CITIZENCRM_PIN_KEY, or the same phone-pin.key).", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
