using System.Diagnostics;
using System.Net.Http.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using Npgsql;

namespace CitizenCrm.Tests.Storage;

/// <summary>
/// PostgreSQL is backed up with pg_dump (the documented commands, notes for DEPLOYMENT.md), and the restore is tested:
/// every write the API acknowledged before the dump is there after pg_restore into a fresh database.
/// </summary>
[Category("Postgres")]
public sealed class BackupOnPostgresTests
{
    private static string Tool(string name)
    {
        var folder = Environment.GetEnvironmentVariable("CITIZENCRM_PG_BIN");
        if (!string.IsNullOrEmpty(folder)) return Path.Combine(folder, name);
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(p => Path.Combine(p, name)).FirstOrDefault(File.Exists);
        return onPath ?? throw new IgnoreException($"{name} is not on PATH: set CITIZENCRM_PG_BIN to PostgreSQL's bin folder (e.g. /usr/lib/postgresql/15/bin). " +
                                                    PostgresTestDatabases.HowToRun);
    }

    /// <summary>Runs pg_dump or pg_restore against a database given as an Npgsql connection string (the password through PGPASSWORD, never argv).</summary>
    private static async Task Run(string tool, string connectionString, params string[] arguments)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Tool(tool)) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--host", target.Host!, "--port", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--username", target.Username ?? "postgres", "--dbname", target.Database! }.Concat(arguments))
            start.ArgumentList.Add(a);
        if (!string.IsNullOrEmpty(target.Password)) start.Environment["PGPASSWORD"] = target.Password;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"{tool} {string.Join(' ', start.ArgumentList)}\n{await error}{await output}");
    }

    private static Dictionary<string, string?> On(string connectionString) => new()
    {
        ["Database:Provider"] = "Postgres",
        ["Database:ConnectionString"] = connectionString,
    };

    [Test]
    public async Task A_pg_dump_restored_into_a_fresh_database_holds_every_acknowledged_write()
    {
        var (liveName, live) = await PostgresTestDatabases.CreateAsync("copydb_live");
        var (restoredName, restored) = await PostgresTestDatabases.CreateAsync("copydb_restored");
        var work = Path.Combine(Path.GetTempPath(), "citizencrm-tests", "copydb-dump-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var dump = Path.Combine(work, "citizencrm.dump");
        var restoredFolder = Path.Combine(work, "restored-data");
        Directory.CreateDirectory(restoredFolder);
        // On a suite run on PostgreSQL, CrmTestApp also makes a database per data folder; these settings name others.
        var unused = new List<string?>();
        try
        {
            var written = new List<(Guid Citizen, string FirstName, string Summary)>();
            using (var app = new CrmTestApp(dataFolder: Path.Combine(work, "live-data"), settings: On(live)))
            {
                unused.Add(app.PostgresDatabase);
                var clerk = await app.ClientFor(StaffRole.Clerk);
                foreach (var (firstName, i) in new[] { "Ana", "Ștefan", "Zoltán", "Ioana", "Mihai" }.Select((n, i) => (n, i)))
                {
                    var citizen = await clerk.RegisterCitizen(firstName: firstName, lastName: "Backup");
                    var summary = $"Came to the desk about the heating aid, visit {i + 1}";
                    var response = await clerk.PostAsJsonAsync($"/api/citizens/{citizen.Id}/interactions", new { type = "desk_visit", channel = "desk", summary });
                    Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
                    written.Add((citizen.Id, firstName, summary));
                }
                // pg_dump while the server runs: it reads one snapshot, which holds every commit acknowledged before it began.
                await Run("pg_dump", live, "--format=custom", "--file", dump);
                // The PIN key is no part of the dump (kept apart from the backups, by design): a restored node needs its own copy.
                File.Copy(Path.Combine(app.DataFolder, "phone-pin.key"), Path.Combine(restoredFolder, "phone-pin.key"));
            }

            await Run("pg_restore", restored, "--exit-on-error", "--single-transaction", "--no-owner", dump);

            using var again = new CrmTestApp(dataFolder: restoredFolder, settings: On(restored));
            unused.Add(again.PostgresDatabase);
            // The clerk's account came back too: the same password signs in.
            var clerkAgain = again.WithToken(await again.SignIn("test-clerk", CrmTestApp.Password));
            foreach (var (id, firstName, summary) in written)
            {
                var citizen = await (await clerkAgain.GetAsync($"/api/citizens/{id}")).ReadJson<CitizenCrm.Core.Citizens.Citizen>();
                Assert.That(citizen.FirstName, Is.EqualTo(firstName));
                var timeline = await clerkAgain.GetStringAsync($"/api/citizens/{id}/timeline");
                Assert.That(timeline, Does.Contain(summary));
            }
        }
        finally
        {
            await PostgresTestDatabases.DropAsync(liveName);
            await PostgresTestDatabases.DropAsync(restoredName);
            foreach (var name in unused.OfType<string>()) await PostgresTestDatabases.DropAsync(name);
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }
}
