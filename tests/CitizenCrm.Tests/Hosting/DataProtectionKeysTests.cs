using System.Security.Cryptography;
using CitizenCrm.Server.Hosting;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenCrm.Tests.Hosting;

/// <summary>
/// Two servers on one database, as two nodes behind a load balancer: what one protects (a cookie, an anti-forgery token)
/// the other reads, because the key ring is in the database, encrypted under a key derived from the phone-PIN key.
/// </summary>
public sealed class DataProtectionKeysTests
{
    private const string Purpose = "CitizenCrm.Tests.DataProtectionKeys";

    [Test]
    public void A_token_protected_on_one_node_is_read_on_another_node_of_the_same_database_and_nowhere_else()
    {
        using var first = new CrmTestApp();
        var token = Protector(first).Protect("sesiune 1234/2026");
        using var second = NodeOf(first, samePinKey: true);
        using var elsewhere = new CrmTestApp();

        Assert.That(Protector(second).Unprotect(token), Is.EqualTo("sesiune 1234/2026"));
        // Not through a key ring both servers happen to find in this machine's user profile: another database's server
        // cannot read it.
        Assert.That(() => Protector(elsewhere).Unprotect(token), Throws.InstanceOf<CryptographicException>());
        using var db = first.OpenDatabase();
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM data_protection_keys WHERE friendly_name LIKE 'key-%'"), Is.EqualTo(1),
            "the second node used the first node's key rather than making its own");
    }

    [Test]
    public void The_stored_key_ring_holds_no_key_in_clear()
    {
        using var app = new CrmTestApp();
        Protector(app).Protect("x");

        using var db = app.OpenDatabase();
        var xml = db.QuerySingle<string>("SELECT xml FROM data_protection_keys");
        Assert.That(xml, Does.Contain("<encryptedKey"));
        Assert.That(xml, Does.Contain(typeof(KeyRingDecryptor).FullName));
        Assert.That(xml, Does.Not.Contain("<masterKey"), "ASP.NET Core's secret element is encrypted before it is stored");
    }

    [Test]
    public void A_node_given_another_phone_PIN_key_cannot_read_the_shared_tokens()
    {
        using var first = new CrmTestApp();
        var token = Protector(first).Protect("sesiune");
        using var misconfigured = NodeOf(first, samePinKey: false);

        Assert.That(() => Protector(misconfigured).Unprotect(token), Throws.InstanceOf<CryptographicException>());
    }

    private static IDataProtector Protector(CrmTestApp app) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

    /// <summary>A second server on the first one's database, with a data folder of its own as another machine has.</summary>
    private static CrmTestApp NodeOf(CrmTestApp first, bool samePinKey)
    {
        var folder = Path.Combine(Path.GetTempPath(), "citizencrm-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (samePinKey) File.Copy(Path.Combine(first.DataFolder, "phone-pin.key"), Path.Combine(folder, "phone-pin.key"));
        var database = first.PostgresDatabase is { } postgres ? TestDatabases.PostgresConnectionString(postgres) : $"Data Source={first.DatabaseFile}";
        return new CrmTestApp(folder, new Dictionary<string, string?> { ["Database:ConnectionString"] = database });
    }
}
