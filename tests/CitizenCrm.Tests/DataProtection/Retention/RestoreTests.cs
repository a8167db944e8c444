using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CitizenCrm.Tests.Hosting;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Map.Photos;
using Dapper;
using Microsoft.Data.Sqlite;
using SkiaSharp;

namespace CitizenCrm.Tests.DataProtection.Retention;

/// <summary>
/// The restore docs/DEPLOYMENT.md documents ("Restoring a backup"), done step by step as written: the backup verb run
/// as its own process against a running server while citizens send petitions with a document (the web form) and map
/// reports with a photo, through HTTP; the set restored into a new data folder with the PIN key kept apart; a server
/// started on it. Every write answered before the backup began is there, none sent after it ended is, the numbers
/// are gapless, and every document and photo a restored row names is on disk with its hash.
/// </summary>
[NonParallelizable] // a child server process under writers, and the backup verb's process: not beside other classes
[Category("SqliteOnly")] // the backup verb copies a SQLite data folder; PostgreSQL is backed up with pg_dump
public sealed class RestoreTests
{
    private const int Writers = 6;

    private sealed record Write(int Writer, int N, long SentAt)
    {
        public bool Petition => N % 2 == 0;
        public string Key => $"restore-{Writer}-{N:D4}";
        public long AnsweredAt { get; set; }
        public JsonElement Receipt { get; set; }
        public string? DocumentSha256 { get; set; }
    }

    [Test]
    public async Task A_backup_taken_under_write_load_restores_every_acknowledged_write_with_its_documents_and_photos()
    {
        var work = Path.Combine(Path.GetTempPath(), "citizencrm-tests", "restore-" + Guid.NewGuid().ToString("N"));
        var live = Path.Combine(work, "live");
        var secrets = Path.Combine(work, "secrets"); // where the operator keeps the PIN key, apart from the backups
        var backups = Path.Combine(work, "backups");
        var restored = Path.Combine(work, "restored");
        string[] limits = ["--Intake:Web:PermitLimit=1000000", "--Intake:Web:LookupPermitLimit=1000000"]; // every write from one address
        try
        {
            var answered = new ConcurrentBag<Write>();
            long backupBegan, backupEnded;
            await using (var server = await ServerProcess.StartAsync(["--Database:DataFolder=" + live, .. limits]))
            {
                // Installed once: the key the server made on its first start, copied to where the secrets are kept.
                Directory.CreateDirectory(secrets);
                File.Copy(Path.Combine(live, "phone-pin.key"), Path.Combine(secrets, "phone-pin.key"));

                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Writers * 2 }) { BaseAddress = server.Address };
                var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
                {
                    for (var n = 0; !stop.IsCancellationRequested; n++)
                    {
                        var write = new Write(w, n, Stopwatch.GetTimestamp());
                        var response = await SendAsync(http, write);
                        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"{write.Key}: {await response.Content.ReadAsStringAsync()}");
                        write.Receipt = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
                        write.AnsweredAt = Stopwatch.GetTimestamp();
                        answered.Add(write);
                    }
                })).ToList();

                await WaitUntil(() => answered.Count >= 30, writers);
                backupBegan = Stopwatch.GetTimestamp();
                var (exitCode, printed) = await ServerProcess.RunVerbAsync(["backup", "--to", backups, "--Database:DataFolder=" + live]);
                backupEnded = Stopwatch.GetTimestamp();
                Assert.That(exitCode, Is.EqualTo(0), printed);
                await WaitUntil(() => answered.Count(a => a.SentAt > backupEnded) >= 6, writers);
                stop.Cancel();
                await Task.WhenAll(writers);
            }
            var during = answered.Count(a => a.AnsweredAt > backupBegan && a.AnsweredAt < backupEnded);
            TestContext.Out.WriteLine($"{answered.Count} writes answered: {answered.Count(a => a.AnsweredAt < backupBegan)} before the backup began, " +
                $"{during} while it ran ({Stopwatch.GetElapsedTime(backupBegan, backupEnded).TotalSeconds:F1} s, the verb's process start included), " +
                $"{answered.Count(a => a.SentAt > backupEnded)} sent after it ended");
            Assert.That(during, Is.GreaterThan(0), "writes were answered while the backup ran");

            // The documented restore (docs/DEPLOYMENT.md, "Restoring a backup", steps 2 to 5) into a new data folder.
            var set = Directory.GetDirectories(backups, "citizencrm-backup-*").Single();
            Directory.CreateDirectory(restored);
            File.Copy(Path.Combine(set, "citizencrm.db"), Path.Combine(restored, "citizencrm.db"));
            CopyFolder(Path.Combine(set, "documents"), Path.Combine(restored, "documents"));
            CopyFolder(Path.Combine(set, "photos"), Path.Combine(restored, "photos"));
            File.Copy(Path.Combine(secrets, "phone-pin.key"), Path.Combine(restored, "phone-pin.key"));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(restored, "phone-pin.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

            await using (var server = await ServerProcess.StartAsync(["--Database:DataFolder=" + restored, .. limits]))
            {
                using var http = new HttpClient { BaseAddress = server.Address };
                Assert.That(await http.GetStringAsync("/health/ready"), Is.EqualTo("Healthy"));
                foreach (var write in answered.Where(a => a.AnsweredAt < backupBegan))
                    Assert.That(await LookUpAsync(http, write), Is.EqualTo(HttpStatusCode.OK), $"{write.Key} was answered before the backup began");
                foreach (var write in answered.Where(a => a.SentAt > backupEnded))
                    Assert.That(await LookUpAsync(http, write), Is.EqualTo(HttpStatusCode.NotFound), $"{write.Key} was sent after the backup ended");
            }

            using var db = new SqliteConnection($"Data Source={Path.Combine(restored, "citizencrm.db")};Mode=ReadOnly;Pooling=False");
            foreach (var write in answered.Where(a => a.Petition && a.AnsweredAt < backupBegan))
                Assert.That(db.Query<string>("SELECT d.sha256 FROM case_documents d JOIN cases c ON c.id = d.case_id WHERE c.subject = @Key", new { write.Key }),
                    Is.EqualTo(new[] { write.DocumentSha256 }), write.Key);
            var documents = db.Query<string>("SELECT DISTINCT sha256 FROM case_documents").AsList();
            var photos = db.Query<string>("SELECT sha256 FROM case_photos UNION SELECT thumbnail_sha256 FROM case_photos").AsList();
            Assert.That(documents, Has.Count.GreaterThanOrEqualTo(answered.Count(a => a.Petition && a.AnsweredAt < backupBegan)));
            Assert.That(photos, Has.Count.GreaterThan(0));
            foreach (var sha in documents) AssertStored(Path.Combine(restored, "documents"), sha);
            foreach (var sha in photos) AssertStored(Path.Combine(restored, "photos"), sha);

            foreach (var register in db.Query<(string Code, long Year)>("SELECT DISTINCT register_code, year FROM cases"))
            {
                var numbers = db.Query<long>("SELECT number FROM cases WHERE register_code = @Code AND year = @Year ORDER BY number", new { register.Code, register.Year }).AsList();
                Assert.That(numbers, Is.EqualTo(Enumerable.Range(1, numbers.Count).Select(i => (long)i)), $"register {register.Code} of {register.Year} is gapless");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Even writes: a petition from the web form with a PDF of its own; odd ones: a map report with a photo.</summary>
    private static Task<HttpResponseMessage> SendAsync(HttpClient http, Write write)
    {
        var form = new MultipartFormDataContent { { new StringContent(""), "website" } };
        if (write.Petition)
        {
            var pdf = Encoding.ASCII.GetBytes($"%PDF-1.4\n% {write.Key}\n%%EOF\n");
            write.DocumentSha256 = Convert.ToHexStringLower(SHA256.HashData(pdf));
            foreach (var (name, value) in new[] { ("kind", "petition"), ("name", "Maria Ionescu"), ("email", "maria.ionescu@example.ro"), ("subject", write.Key), ("text", "Groapă în asfalt.") })
                form.Add(new StringContent(value), name);
            var file = new ByteArrayContent(pdf);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(file, "attachments", "scrisoare.pdf");
            return http.PostAsync("/api/public/requests", form);
        }
        foreach (var (name, value) in new[]
                 {
                     ("service_code", "pothole"), ("lat", "46.0686"), ("long", "23.5702"), ("attribute[size]", "large"), ("attribute[depth_cm]", "12"),
                     ("address_string", "Str. Mihai Viteazul 12"), ("description", write.Key), ("name", "Maria Ionescu"), ("email", "maria.ionescu@example.ro"),
                 })
            form.Add(new StringContent(value), name);
        var photo = new ByteArrayContent(TestPictures.Make(16 + write.Writer, 8 + write.N % 40, SKEncodedImageFormat.Png));
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(photo, "photo", "groapa.png");
        return http.PostAsync("/api/public/reports", form);
    }

    /// <summary>A petition by its number and private access code (which only the restored PIN key verifies); a report by its id.</summary>
    private static async Task<HttpStatusCode> LookUpAsync(HttpClient http, Write write)
    {
        var r = write.Receipt;
        if (!write.Petition)
        {
            var report = await http.GetAsync($"/api/public/reports/{r.GetProperty("id").GetString()}");
            if (report.StatusCode == HttpStatusCode.OK)
                Assert.That(JsonSerializer.Deserialize<JsonElement>(await report.Content.ReadAsStringAsync()).GetProperty("photosAwaitingReview").GetInt32(), Is.EqualTo(1), write.Key);
            return report.StatusCode;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/public/requests/{r.GetProperty("year").GetInt32()}/{r.GetProperty("number").GetInt32()}");
        request.Headers.Add("X-Access-Code", r.GetProperty("accessCode").GetString());
        return (await http.SendAsync(request)).StatusCode;
    }

    private static void AssertStored(string folder, string sha256)
    {
        var file = Path.Combine(folder, sha256[..2], sha256);
        Assert.That(File.Exists(file), Is.True, $"{file} is named by a restored row");
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), Is.EqualTo(sha256), file);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        if (!Directory.Exists(from)) return;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    /// <summary>Waits for the writers to get that far; a writer that failed stops the wait with its failure.</summary>
    private static async Task WaitUntil(Func<bool> condition, List<Task> writers)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!condition())
        {
            if (writers.FirstOrDefault(w => w.IsFaulted) is { } failed) await failed;
            Assert.That(DateTime.UtcNow, Is.LessThan(until), "the writers stalled");
            await Task.Delay(50);
        }
    }
}
