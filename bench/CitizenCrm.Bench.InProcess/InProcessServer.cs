using CitizenCrm.Core.Common;
using CitizenCrm.Server.Hosting;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenCrm.Bench.InProcess;

/// <summary>
/// The real server (ServerApp: its configuration, services, mediator pipeline and start-up work: migrations, the
/// phone scripts, Quartz) started inside this process on a loopback port nobody calls, so commands meet exactly the
/// pipeline a request meets, group commit included once it exists. Scheduled jobs stay off: a job writing during a
/// measurement would be noise.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    /// <summary>A clerk as the API sees one after sign-in; no account row is needed for the commands measured here.</summary>
    public static readonly StaffIdentity Clerk = new(Guid.Parse("5e1f0000-0000-4000-8000-000000000001"), "bench-clerk", StaffRole.Clerk);

    private InProcessServer(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Database:GroupCommit as the server bound it, read back (by name: the setting is new), or a sentence saying the
    /// server has no such setting, so a table never claims a mode the server did not run in.
    /// </summary>
    /// <summary>Commands per committed batch so far, from the group commit service's own counters, when the server has one.</summary>
    public (long Batches, long Members)? GroupCommitBatches()
    {
        var type = typeof(CitizenCrm.Core.Storage.DatabaseOptions).Assembly.GetType("CitizenCrm.Core.Storage.GroupCommit");
        if (type is null || _app.Services.GetService(type) is not { } service) return null;
        return (Convert.ToInt64(type.GetProperty("Batches")?.GetValue(service) ?? 0L, System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt64(type.GetProperty("Members")?.GetValue(service) ?? 0L, System.Globalization.CultureInfo.InvariantCulture));
    }

    public string GroupCommitAsBound()
    {
        var options = _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CitizenCrm.Core.Storage.DatabaseOptions>>().Value;
        var property = options.GetType().GetProperty("GroupCommit");
        return property is null ? "DatabaseOptions has no GroupCommit property: this server may ignore the setting" : $"Database:GroupCommit={property.GetValue(options)} as the server read it";
    }

    public static async Task<InProcessServer> StartAsync(string dataFolder, bool? groupCommit, IEnumerable<string> extraConfiguration)
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--Database:DataFolder={dataFolder}",
            "--Jobs:RunOnSchedule=false",
            "--Logging:LogLevel:Default=Error",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Error",
            "--Logging:LogLevel:Microsoft.AspNetCore=Error", // the bench has no wwwroot: no warning about it
        };
        // Unknown to the server until group commit lands in main: binding an unknown key is harmless.
        if (groupCommit is { } on) args.Add($"--Database:GroupCommit={(on ? "true" : "false")}");
        args.AddRange(extraConfiguration);
        var app = ServerApp.Build(args.ToArray());
        await app.StartAsync();
        return new InProcessServer(app);
    }

    /// <summary>A fresh scope per command, as each HTTP request gets, with what the request-context middleware would set.</summary>
    public async Task<T> SendAsync<T>(ICommand<T> command, string endpoint, string? idempotencyKey, CancellationToken ct)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<RequestContext>();
        context.Staff = Clerk;
        context.Endpoint = endpoint;
        context.ClientAddress = "127.0.0.1";
        context.IdempotencyKey = idempotencyKey;
        context.Disclosure = NumberDisclosure.Masked;
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, ct);
    }

    public async Task<T> SendAsync<T>(IQuery<T> query, string endpoint, CancellationToken ct)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<RequestContext>();
        context.Staff = Clerk;
        context.Endpoint = endpoint;
        context.ClientAddress = "127.0.0.1";
        context.Disclosure = NumberDisclosure.Masked;
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        // Closing the pooled connections checkpoints the write-ahead log, so the next run starts from a quiet file.
        SqliteConnection.ClearAllPools();
    }
}
