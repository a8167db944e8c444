using System.Globalization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Revenue;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Server.Cli;

/// <summary>import-revenue --file PATH: the revenue system's CSV export, imported as the admin endpoint does it.</summary>
internal static class ImportRevenue
{
    public const string Usage = "--file PATH\n" +
        "                  import the revenue system's CSV export (docs/revenue-import.md); prints the report;\n" +
        "                  exit code 3 when some rows were rejected (the good ones are kept)";

    public static async Task<int> RunAsync(CommandLine.Options options)
    {
        var path = options.Get("file") ?? throw ValidationFailedException.For("file", "Give --file PATH, the CSV export to import.");
        if (!File.Exists(path))
            throw ValidationFailedException.For("file", $"There is no file at '{Path.GetFullPath(path)}'. " +
                "'dotnet run' runs in the project folder: give an absolute path, e.g. --file \"$PWD/docs/samples/revenue-sample.csv\".");
        var text = (await File.ReadAllTextAsync(path)).TrimStart('\uFEFF');

        await using var app = CommandLine.BuildServices(options);
        await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = "cli";
        scope.ServiceProvider.GetRequiredService<RequestContext>().Endpoint = "cli import-revenue";
        var report = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ImportRevenueLedger(text, Path.GetFileName(path)));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Import {report.BatchId} of {report.SourceName}: {report.Rows} rows, {report.Added} added, {report.Corrected} corrected, " +
            $"{report.Unchanged} unchanged, {report.Rejected} rejected; {report.CitizensTouched} citizen(s) touched."));
        foreach (var r in report.RejectedRows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  line {r.Line}{(r.SourceRef is null ? "" : $" ({r.SourceRef})")}: {r.Reason}"));
        return report.Rejected > 0 ? 3 : 0;
    }
}
