using System.Text;
using CitizenCrm.Core.DataProtection.Retention;
using CitizenCrm.Server.Cli;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.DataProtection.Retention;

/// <summary>The backup verb: a consistent copy of the database with the documents and photos in a dated folder; sets past BackupDays deleted.</summary>
[Category("SqliteOnly")] // the verb copies a SQLite data folder; PostgreSQL is backed up with pg_dump
public sealed class BackupTests
{
    /// <summary>Tuesday 10 March 2026, 08:00:05 UTC.</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 8, 0, 5, TimeSpan.Zero);

    private CrmTestApp _app = null!;
    private string _target = null!;

    [SetUp]
    public void Start()
    {
        _app = new CrmTestApp(clock: new FakeTimeProvider(Now));
        _target = Path.Combine(_app.DataFolder, "..", "backups-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_target);
    }

    [TearDown]
    public void Stop()
    {
        _app.Dispose();
        try { Directory.Delete(_target, recursive: true); } catch (IOException) { }
    }

    private void Seed()
    {
        _ = _app.Services; // the server has started and migrated its database
        using var db = _app.OpenDatabase();
        db.Execute("INSERT INTO login_failures (at, username, address) VALUES (1, 'kept-marker', '10.0.0.7')");
        db.Execute("INSERT INTO login_failures (at, username, address) VALUES (2, 'deleted-marker-7f3a', '10.0.0.7')");
        // This connection deletes without secure_delete: the deleted row's bytes stay in the live file's free space.
        db.Execute("PRAGMA secure_delete = OFF");
        db.Execute("DELETE FROM login_failures WHERE username = 'deleted-marker-7f3a'");
        db.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        Directory.CreateDirectory(Path.Combine(_app.DataFolder, "documents", "ab"));
        File.WriteAllText(Path.Combine(_app.DataFolder, "documents", "ab", "ab01"), "a petition's scan");
        File.WriteAllText(Path.Combine(_app.DataFolder, "documents", "ab", "ab02.tmp"), "a write under way");
        Directory.CreateDirectory(Path.Combine(_app.DataFolder, "photos", "cd"));
        File.WriteAllText(Path.Combine(_app.DataFolder, "photos", "cd", "cd01"), "a pothole");
    }

    [Test]
    public async Task A_backup_set_holds_the_database_documents_and_photos_and_the_sets_older_than_35_days_go()
    {
        Seed();
        foreach (var name in new[]
                 {
                     "citizencrm-backup-2026-02-03T080004Z", // 35 days and 1 second before: expired
                     "citizencrm-backup-2026-02-03T080006Z", // 35 days less 1 second: kept
                     "citizencrm-backup-notes",              // not a set: never touched
                     "holiday-photos",
                 })
            Directory.CreateDirectory(Path.Combine(_target, name));

        var set = await _app.Services.GetRequiredService<Backups>().WriteAsync(_target, CancellationToken.None);

        Assert.That(Path.GetFileName(set.Folder), Is.EqualTo("citizencrm-backup-2026-03-10T080005Z"));
        Assert.That(set.Expired, Is.EqualTo(new[] { "citizencrm-backup-2026-02-03T080004Z" }));
        Assert.That(Directory.EnumerateDirectories(_target).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(new[]
        {
            "citizencrm-backup-2026-02-03T080006Z", "citizencrm-backup-2026-03-10T080005Z", "citizencrm-backup-notes", "holiday-photos",
        }));
        Assert.That((set.Documents, set.Photos), Is.EqualTo((1, 1)));
        Assert.That(File.ReadAllText(Path.Combine(set.Folder, "documents", "ab", "ab01")), Is.EqualTo("a petition's scan"));
        Assert.That(File.Exists(Path.Combine(set.Folder, "documents", "ab", "ab02.tmp")), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(set.Folder, "photos", "cd", "cd01")), Is.EqualTo("a pothole"));
        Assert.That(File.Exists(Path.Combine(set.Folder, "phone-pin.key")), Is.False, "the PIN key is kept apart from the backups");

        var copy = Path.Combine(set.Folder, "citizencrm.db");
        using (var db = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False"))
        {
            Assert.That(db.ExecuteScalar<string>("PRAGMA integrity_check"), Is.EqualTo("ok"));
            Assert.That(db.Query<string>("SELECT username FROM login_failures"), Is.EqualTo(new[] { "kept-marker" }));
            Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM schema_version WHERE version = 20"), Is.EqualTo(1));
        }
        Assert.That(File.ReadAllBytes(_app.DatabaseFile).AsSpan().IndexOf(Encoding.UTF8.GetBytes("deleted-marker-7f3a")), Is.GreaterThan(0),
            "the live file still holds the deleted row's bytes");
        Assert.That(File.ReadAllBytes(copy).AsSpan().IndexOf(Encoding.UTF8.GetBytes("deleted-marker-7f3a")), Is.EqualTo(-1),
            "a row deleted before the backup is not in the copy's bytes");
        Assert.That(File.ReadAllText(Path.Combine(set.Folder, "RESTORE.txt")), Does.Contain(
            "SELECT citizen_id, erased_at, legal_basis FROM citizen_erasures WHERE erased_at > 1773129605000;"));
        Assert.That(File.ReadAllText(Path.Combine(set.Folder, "RESTORE.txt")), Does.Contain("once older than 35 days (DataProtection:Retention:BackupDays)"));
    }

    [Test]
    public async Task A_set_has_its_documents_and_photos_folders_even_when_empty_so_the_restore_steps_never_change()
    {
        _ = _app.Services;
        foreach (var folder in new[] { "documents", "photos" })
            if (Directory.Exists(Path.Combine(_app.DataFolder, folder))) Directory.Delete(Path.Combine(_app.DataFolder, folder), recursive: true);

        var set = await _app.Services.GetRequiredService<Backups>().WriteAsync(_target, CancellationToken.None);

        Assert.That((set.Documents, set.Photos), Is.EqualTo((0, 0)));
        Assert.That(Directory.EnumerateFileSystemEntries(set.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "RESTORE.txt", "citizencrm.db", "documents", "photos" }));
    }

    [Test]
    public async Task The_backup_days_are_a_setting()
    {
        _app.Dispose();
        _app = new CrmTestApp(settings: new Dictionary<string, string?> { ["DataProtection:Retention:BackupDays"] = "7" }, clock: new FakeTimeProvider(Now));
        Seed();
        Directory.CreateDirectory(Path.Combine(_target, "citizencrm-backup-2026-03-03T080004Z"));
        Directory.CreateDirectory(Path.Combine(_target, "citizencrm-backup-2026-03-03T080006Z"));
        var set = await _app.Services.GetRequiredService<Backups>().WriteAsync(_target, CancellationToken.None);
        Assert.That(set.Expired, Is.EqualTo(new[] { "citizencrm-backup-2026-03-03T080004Z" }));
    }

    [Test]
    public async Task The_backup_verb_writes_a_set_from_the_command_line_and_refuses_a_bad_setting_or_a_missing_target()
    {
        Seed();
        var folder = "--Database:DataFolder=" + _app.DataFolder;
        Assert.That(await CommandLine.RunAsync(["backup", "--to", _target, folder]), Is.EqualTo(0));
        var sets = Directory.EnumerateDirectories(_target).Select(Path.GetFileName).ToList();
        Assert.That(sets, Has.Count.EqualTo(1));
        Assert.That(sets[0], Does.Match(@"^citizencrm-backup-\d{4}-\d{2}-\d{2}T\d{6}Z$"));
        Assert.That(File.Exists(Path.Combine(_target, sets[0]!, "citizencrm.db")), Is.True);

        Assert.That(await CommandLine.RunAsync(["backup", folder]), Is.EqualTo(1), "no --to");
        Assert.That(await CommandLine.RunAsync(["backup", "--to", _target, folder, "--DataProtection:Retention:BackupDays=0"]), Is.EqualTo(1));
        Assert.That(Directory.EnumerateDirectories(_target).Count(), Is.EqualTo(1), "nothing written when refused");
    }
}
