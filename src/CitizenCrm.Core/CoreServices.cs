using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Staff;
using CitizenCrm.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core;

public static class CoreServices
{
    /// <summary>Everything the core needs except the mediator itself (registered by the host, see DESIGN traps).</summary>
    public static IServiceCollection AddCitizenCrmCore(this IServiceCollection services)
    {
        DapperTypeHandlers.Register();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IDatabase>(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider switch
        {
            DatabaseProvider.Sqlite => new SqliteDatabase(sp.GetRequiredService<IOptions<DatabaseOptions>>()),
            DatabaseProvider.Postgres => new PostgresDatabase(sp.GetRequiredService<IOptions<DatabaseOptions>>()),
            DatabaseProvider.SqlServer => new SqlServerDatabase(sp.GetRequiredService<IOptions<DatabaseOptions>>()),
            var other => throw new InvalidOperationException($"Database provider {other} is not available yet; use Sqlite."),
        });
        services.AddSingleton<Migrator>();
        services.AddSingleton<GroupCommit>();
        services.AddSingleton<StaffPasswords>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new PhonePinHasher(PhonePinHasher.LoadOrCreateKey(
                Environment.GetEnvironmentVariable("CITIZENCRM_PIN_KEY"), Path.Combine(o.DataFolder, "phone-pin.key")));
        });
        services.AddScoped(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new UnitOfWork(sp.GetRequiredService<IDatabase>(),
                o.Provider == DatabaseProvider.Sqlite && o.GroupCommit ? sp.GetRequiredService<GroupCommit>() : null);
        });
        services.AddScoped<RequestContext>();
        services.AddScoped<CommandScope>();
        services.AddScoped<Timeline.Timeline>();
        services.AddScoped<Notifications.Outbox>();
        services.AddSingleton<Notifications.NotificationTransports>();
        return services;
    }
}
