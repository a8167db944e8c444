using CitizenCrm.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Server.Hosting;

/// <summary>
/// Brings the data folder ready before the server takes its first request: the schema up to date, the phone-PIN key
/// loaded, or created in &lt;DataFolder&gt;/phone-pin.key when CITIZENCRM_PIN_KEY is absent (taking the hasher here creates the
/// key now, on the first start, as the README says, so an administrator can back it up before any PIN is issued), and
/// the document files a crash left without their row swept away.
/// </summary>
public sealed class DatabaseStartup(Migrator migrator, IOptions<DatabaseOptions> options,
    CitizenCrm.Core.Citizens.PhonePinHasher pinHasher, CitizenCrm.Core.Cases.DocumentStore documents,
    ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var applied = await migrator.MigrateAsync(ct);
        logger.LogInformation("Database ready ({Provider}, {Applied} migrations applied now)", options.Value.Provider, applied.Count);
        _ = pinHasher; // constructing the hasher (a singleton) loaded or created the key
        if (options.Value.Provider == DatabaseProvider.Sqlite && options.Value.Synchronous.Equals("NORMAL", StringComparison.OrdinalIgnoreCase))
            logger.LogWarning("SQLite synchronous=NORMAL: the last commits before a power cut may be lost. Use FULL unless you accept that.");
        // What a crash left between writing a document and committing its row.
        if (await documents.SweepAsync(ct) is > 0 and var removed)
            logger.LogInformation("Removed {Count} document files left by an interrupted upload", removed);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>Ready when the database answers and every migration is applied.</summary>
public sealed class DatabaseReadiness(Migrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var applied = await migrator.AppliedAsync(ct);
            var pending = migrator.Available().Count(m => !applied.Contains(m.Version));
            return pending == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"{pending} migrations pending");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
