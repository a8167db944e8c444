using System.Net.Http.Headers;
using System.Net.Http.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Staff;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CitizenCrm.Tests.Infrastructure;

/// <summary>
/// The real server over HTTP (ASP.NET Core test host) on a real SQLite file in its own temp folder.
/// One per test class or per test; disposing it deletes the folder.
/// </summary>
public sealed class CrmTestApp : WebApplicationFactory<Program>
{
    public const string Password = "test-password-123";
    private readonly Dictionary<string, string?> _settings;
    private readonly Dictionary<StaffRole, string> _tokens = new();
    private readonly Action<IServiceCollection>? _testServices;

    /// <param name="clock">A FakeTimeProvider for tests about dates (registration years, deadlines, increases).</param>
    /// <param name="testServices">Services added after the server's own (a capturing log provider for the privacy tests).</param>
    public CrmTestApp(string? dataFolder = null, IDictionary<string, string?>? settings = null, TimeProvider? clock = null,
        Action<IServiceCollection>? testServices = null)
    {
        Clock = clock;
        _testServices = testServices;
        DataFolder = dataFolder ?? Path.Combine(Path.GetTempPath(), "citizencrm-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataFolder);
        // A new folder starts from a copy of a database the migrations already built once in this run: the server
        // still runs its migrator at start (and finds nothing to do), but 13 scripts and their fsyncs are not paid per test.
        _ownsDatabase = dataFolder is null;
        if (TestDatabases.Suite != CitizenCrm.Core.Storage.DatabaseProvider.Sqlite)
        {
            ServerDatabase = TestDatabases.ServerDatabaseFor(DataFolder);
            TestDatabases.CreateServerDatabase(ServerDatabase);
        }
        else if (dataFolder is null) File.Copy(MigratedTemplate.Value, DatabaseFile);
        _settings = new Dictionary<string, string?>
        {
            ["Database:DataFolder"] = DataFolder,
            // Fewer iterations keep sign-ins fast in tests; production uses the default 210,000.
            ["Staff:PasswordIterations"] = "1000",
            // No job runs by itself in a test: tests run them through POST /api/jobs/{name}/run (tests/Jobs/).
            ["Jobs:RunOnSchedule"] = "false",
        };
        if (ServerDatabase is not null)
        {
            _settings["Database:Provider"] = TestDatabases.Suite.ToString();
            _settings["Database:ConnectionString"] = TestDatabases.ServerConnectionString(ServerDatabase);
        }
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) _settings[k] = v;
    }

    private readonly bool _ownsDatabase;

    /// <summary>The test's own database when the suite runs on PostgreSQL or SQL Server, else null (a SQLite file).</summary>
    public string? ServerDatabase { get; }

    public string? PostgresDatabase => TestDatabases.OnPostgres ? ServerDatabase : null;

    private static readonly Lazy<string> MigratedTemplate = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "citizencrm-tests", "template-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var options = Microsoft.Extensions.Options.Options.Create(new CitizenCrm.Core.Storage.DatabaseOptions { DataFolder = folder });
        new CitizenCrm.Core.Storage.Migrator(new CitizenCrm.Core.Storage.SqliteDatabase(options),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<CitizenCrm.Core.Storage.Migrator>.Instance).MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools(); // the last connection's close checkpoints the write-ahead log into the file
        var file = Path.Combine(folder, "citizencrm.db");
        if (new FileInfo(file + "-wal") is { Exists: true, Length: > 0 })
            throw new InvalidOperationException("The template database's write-ahead log was not checkpointed; a copy of the file alone would miss it.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(folder, recursive: true); } catch (IOException) { } };
        return file;
    });

    public string DataFolder { get; }
    public TimeProvider? Clock { get; }
    public string DatabaseFile => Path.Combine(DataFolder, "citizencrm.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        if (Clock is not null)
            builder.ConfigureServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(Clock);
            });
        if (_testServices is not null) builder.ConfigureTestServices(_testServices);
    }

    /// <summary>Runs a request through the mediator as the given system actor (for arranging data).</summary>
    public async Task<T> Send<T>(IRequest<T> request, string actor = "test")
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = actor;
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    public async Task<T> Send<T>(ICommand<T> command, string actor = "test")
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = actor;
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command);
    }

    public async Task<T> Send<T>(IQuery<T> query, string actor = "test")
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = actor;
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query);
    }

    /// <summary>An HTTP client signed in with a user of that role (created on first use).</summary>
    public async Task<HttpClient> ClientFor(StaffRole role)
    {
        if (!_tokens.TryGetValue(role, out var token))
        {
            var username = $"test-{role.ToText()}";
            var passwords = Services.GetRequiredService<StaffPasswords>();
            await Send(new CreateStaffUser(username, $"Test {role}", role.ToText(), passwords.Hash(Password)));
            token = await SignIn(username, Password);
            _tokens[role] = token;
        }
        return WithToken(token);
    }

    public async Task<string> SignIn(string username, string password)
    {
        var response = await CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { username, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SignedIn>(Json.Options))!.Token;
    }

    public HttpClient WithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A raw connection to the test database, for assertions the API does not expose.</summary>
    public System.Data.Common.DbConnection OpenDatabase()
    {
        if (ServerDatabase is not null) return TestDatabases.OpenServerDatabase(ServerDatabase);
        var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        connection.Open();
        return connection;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (ServerDatabase is not null && _ownsDatabase) TestDatabases.DropServerDatabase(ServerDatabase);
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
