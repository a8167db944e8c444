using CitizenCrm.Core.Common;
using CitizenCrm.Core.Staff;
using CitizenCrm.Core.Storage;
using CitizenCrm.Server.Hosting;
using Mediator;

namespace CitizenCrm.Server.Cli;

/// <summary>
/// Verbs run against the same configuration as the server (appsettings.json, environment, --Section:Key=value).
/// </summary>
public static class CommandLine
{
    /// <summary>A command-line verb. Each feature adds its own line here.</summary>
    internal sealed record Verb(string Name, string Usage, Func<Options, Task<int>> RunAsync);

    internal static readonly Verb[] Verbs =
    [
        new("migrate", "apply pending database migrations and exit", MigrateAsync),
        new("create-admin", "--username NAME [--display-name TEXT] [--password TEXT]\n" +
            "                  create an admin account; the password may also come from CITIZENCRM_ADMIN_PASSWORD\n" +
            "                  or, when neither is given, is read from standard input", CreateAdminAsync),
        new("import-revenue", ImportRevenue.Usage, ImportRevenue.RunAsync),
        new("import-citizens", ImportCitizensVerb.Usage, ImportCitizensVerb.RunAsync),
        new("demo-city", DemoCity.Usage, DemoCity.RunAsync),
        new("validate-ivr", "[--folder PATH]  check the phone scripts (flows and prompts) without starting the server", ValidateIvr.RunAsync),
        new("call", "--keys \"1,CNP#,PIN,1,...\" (the first key chooses the language) [--url http://127.0.0.1:5080] [--from +407...] [--auth-token T] [--public-url U]\n" +
            "                  place a scripted phone call against a running server, signed as Twilio signs, and print the transcript", Call.RunAsync),
        new("backup", BackupVerb.Usage, BackupVerb.RunAsync),
        new("copy-database", CopyDatabase.Usage, CopyDatabase.RunAsync),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = Verbs.FirstOrDefault(v => v.Name == args[0]);
        if (verb is null)
        {
            if (args[0] is not ("help" or "--help")) Console.Error.WriteLine($"Unknown verb '{args[0]}'.");
            PrintHelp();
            return args[0] is "help" or "--help" ? 0 : 2;
        }
        try
        {
            return await verb.RunAsync(Options.Parse(args.Skip(1)));
        }
        catch (CrmException ex)
        {
            Console.Error.WriteLine($"{ex.Title}: {ex.Detail}");
            return 1;
        }
    }

    private static void PrintHelp()
    {
        Console.WriteLine("Usage: dotnet run --project src/CitizenCrm.Server -- <verb> [options]");
        Console.WriteLine("  (no verb)       serve the API (Kestrel; --urls http://127.0.0.1:5080 to choose the address)");
        foreach (var v in Verbs) Console.WriteLine($"  {v.Name,-15} {v.Usage}");
        Console.WriteLine("Any configuration key can be given as --Section:Key=value, e.g. --Database:DataFolder=/var/lib/citizencrm");
    }

    private static async Task<int> MigrateAsync(Options options)
    {
        await using var app = BuildServices(options);
        var applied = await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
        Console.WriteLine(applied.Count == 0 ? "The database schema is up to date." : $"Applied: {string.Join(", ", applied)}");
        return 0;
    }

    internal static WebApplication BuildServices(Options options)
    {
        var app = ServerApp.CreateBuilder(options.ConfigurationArgs).Build();
        return app;
    }

    private static async Task<int> CreateAdminAsync(Options options)
    {
        var username = options.Get("username") ?? throw ValidationFailedException.For("username", "Give --username.");
        var password = options.Get("password") ?? Environment.GetEnvironmentVariable("CITIZENCRM_ADMIN_PASSWORD");
        if (password is null)
        {
            Console.Error.Write("Password for the new admin: ");
            password = Console.ReadLine();
        }
        await using var app = BuildServices(options);
        await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
        var passwords = app.Services.GetRequiredService<StaffPasswords>();
        passwords.CheckPolicy(password);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = "cli";
        var user = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(
            new CreateStaffUser(username, options.Get("display-name") ?? username, "admin", passwords.Hash(password!)));
        Console.WriteLine($"Admin '{user.Username}' created. Sign in to the staff console at /console/ (or with POST /api/auth/sign-in).");
        return 0;
    }

    /// <summary>--name value pairs for the verb; --Section:Key=value pairs go to configuration.</summary>
    internal sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);
        public string[] ConfigurationArgs { get; private set; } = [];

        public static Options Parse(IEnumerable<string> args)
        {
            var o = new Options();
            var config = new List<string>();
            var list = args.ToList();
            for (var i = 0; i < list.Count; i++)
            {
                var a = list[i];
                if (!a.StartsWith("--", StringComparison.Ordinal)) throw ValidationFailedException.For(a, $"Unexpected argument '{a}'.");
                var name = a[2..];
                if (name.Contains(':')) { config.Add(a); continue; }
                var eq = name.IndexOf('=');
                if (eq > 0) o._values[name[..eq]] = name[(eq + 1)..];
                else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal)) o._values[name] = list[++i];
                else o._values[name] = "true";
            }
            o.ConfigurationArgs = config.ToArray();
            return o;
        }

        public string? Get(string name) => _values.GetValueOrDefault(name);
    }
}
