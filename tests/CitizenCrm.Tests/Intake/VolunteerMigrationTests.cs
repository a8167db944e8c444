using System.Net;
using CitizenCrm.Core.Staff;
using CitizenCrm.Core.Storage;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Tests.Intake;

[Category("SqliteOnly")] // it starts from an old SQLite file; the PostgreSQL run leaves it out (.ci/run)
public sealed class VolunteerMigrationTests
{
    [Test]
    public async Task A_clerk_signed_in_before_the_upgrade_stays_signed_in_after_0008_widens_the_roles()
    {
        var folder = Path.Combine(Path.GetTempPath(), "citizencrm-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = new SqliteDatabase(Options.Create(new DatabaseOptions { DataFolder = folder }));
        var migrator = new Migrator(database, NullLogger<Migrator>.Instance);
        await migrator.MigrateAsync(migrator.Available().Where(m => m.Version < 8).ToList(), CancellationToken.None);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("INSERT INTO staff_users (id, username, display_name, role, password_hash, disabled, created_at, password_changed_at) " +
                                          "VALUES ('6f1c0000-0000-0000-0000-000000000001', 'ana', 'Ana', 'clerk', 'x', 0, @now, @now)", new { now });
            await connection.ExecuteAsync("INSERT INTO staff_tokens (token_hash, user_id, created_at, expires_at) VALUES (@hash, '6f1c0000-0000-0000-0000-000000000001', @now, @until)",
                new { hash = SignInHandler.TokenHash("ccrm_before-the-upgrade"), now, until = now + 3_600_000 });
        }

        using var app = new CrmTestApp(dataFolder: folder); // starts on the old file: 0008 and later run now

        var me = await app.WithToken("ccrm_before-the-upgrade").GetAsync("/api/auth/me");
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the token survived the rebuild of staff_users and staff_tokens");
        using var db = app.OpenDatabase();
        db.Execute("PRAGMA foreign_keys = ON"); // as the server's connections have it
        Assert.That(db.Query<string>("PRAGMA foreign_key_check"), Is.Empty);
        Assert.That(() => db.Execute("INSERT INTO staff_tokens (token_hash, user_id, created_at, expires_at) VALUES ('h', 'nobody', 1, 2)"),
            Throws.InstanceOf<Microsoft.Data.Sqlite.SqliteException>(), "the tokens' foreign key still holds");
        Assert.That(() => db.Execute("INSERT INTO staff_users (id, username, display_name, role, password_hash, disabled, created_at, password_changed_at) " +
                                     "VALUES ('u', 'boss', 'B', 'boss', 'x', 0, 1, 1)"), Throws.InstanceOf<Microsoft.Data.Sqlite.SqliteException>(), "unknown roles still refused");
    }
}
