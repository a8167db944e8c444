using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;

namespace CitizenCrm.Bench.Load;

/// <summary>One benchmark's server and client: the data copy, the started server, one HttpClient, the admin signed in.</summary>
public sealed class BenchRun : IAsyncDisposable
{
    public required ServerUnderTest.Settings Settings { get; init; }
    public required ServerUnderTest.PreparedData Data { get; init; }
    public required ServerUnderTest Server { get; init; }
    public required HttpClient Client { get; init; }
    public required StaffApi Api { get; init; }
    public required AuthenticationHeaderValue Admin { get; init; }
    public required double Warmup { get; init; }
    public required double Seconds { get; init; }

    public static async Task<BenchRun> StartAsync(BenchOptions options, double defaultSeconds)
    {
        var settings = ServerUnderTest.Settings.From(options);
        var warmup = options.Seconds("warmup", 2);
        var seconds = options.Seconds("seconds", defaultSeconds);
        options.RefuseUnknown();
        Console.Error.WriteLine($"Preparing the data folder ({settings.SourceData ?? "empty"})...");
        var data = await ServerUnderTest.PrepareDataAsync(settings);
        try
        {
            var server = await ServerUnderTest.StartAsync(settings, data);
            Console.Error.WriteLine($"  server ready at {server.BaseUrl} (pid {server.Process.Id}) in {server.StartToReady.TotalSeconds:F2} s");
            await SettleAsync(server);
            var client = LoadLevel.Client(server.BaseUrl);
            var api = new StaffApi(client);
            var admin = await api.SignInAsync(data.AdminUsername, data.AdminPassword);
            // The client's own code (HttpClient, the workers) compiled to its final tier before anything is measured, so
            // the first level's client cost is not the JIT's.
            await LoadLevel.RunAsync("client warm-up", 8, 0, 2, null, LoadLevel.HealthLive(client));
            return new BenchRun
            {
                Settings = settings, Data = data, Server = server, Client = client, Api = api, Admin = admin, Warmup = warmup, Seconds = seconds,
            };
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Ready is not idle: for some seconds after its first 200 from /health/ready the server still works on its start
    /// (the JIT's second tier, Quartz's first rounds, measured at 2 s of CPU per 5 s on the 1M demo city, then about 1 %).
    /// Measuring then would charge that to the first level, so wait until it uses under a tenth of a core (at most 40 s).
    /// </summary>
    private static async Task SettleAsync(ServerUnderTest server)
    {
        var watch = Stopwatch.StartNew();
        var cpu = server.CpuSeconds();
        while (watch.Elapsed < TimeSpan.FromSeconds(40))
        {
            await Task.Delay(1000);
            var now = server.CpuSeconds();
            if (now - cpu < 0.1) break;
            cpu = now;
        }
        Console.Error.WriteLine($"  server settled (under 0.1 core) after {watch.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>The server's database, read-only (Microsoft.Data.Sqlite beside a running server in WAL mode is safe).</summary>
    public SqliteConnection OpenDatabaseReadOnly()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(Data.Folder, "citizencrm.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>Citizens that may be written to and read (not erased), spread over the register by their random ids.</summary>
    public List<(Guid Id, string NationalId)> Citizens(int count)
    {
        using var db = OpenDatabaseReadOnly();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT id, national_id FROM citizens WHERE erased_at IS NULL AND id_type = 'cnp' ORDER BY id LIMIT $n";
        command.Parameters.AddWithValue("$n", count);
        using var reader = command.ExecuteReader();
        var list = new List<(Guid, string)>();
        while (reader.Read()) list.Add((Guid.Parse(reader.GetString(0)), reader.GetString(1)));
        return list;
    }

    public Task<LevelResult> LevelAsync(string name, int concurrency, Func<int, Recorder, Window, Task> worker, Func<bool>? steady = null) =>
        LoadLevel.RunAsync(name, concurrency, Warmup, Seconds, Server, worker, steady);

    public Task<LevelResult> BaselineAsync(int concurrency) =>
        LevelAsync("GET /health/live (baseline)", concurrency, LoadLevel.HealthLive(Client));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        var watch = Stopwatch.StartNew();
        await Server.DisposeAsync();
        Console.Error.WriteLine($"  server stopped in {watch.Elapsed.TotalSeconds:F1} s");
        Data.Dispose();
    }
}
