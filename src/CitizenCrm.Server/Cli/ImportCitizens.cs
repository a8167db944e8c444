using System.Globalization;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Server.Cli;

/// <summary>import-citizens --file PATH: the city's register export, imported as the admin endpoint does it.</summary>
internal static class ImportCitizensVerb
{
    public const string Usage = "--file PATH\n" +
        "                  import citizens from the register's CSV export (docs/citizen-import.md); prints the report;\n" +
        "                  exit code 3 when some rows were refused (the good ones are kept)";

    public static async Task<int> RunAsync(CommandLine.Options options)
    {
        var path = options.Get("file") ?? throw ValidationFailedException.For("file", "Give --file PATH, the CSV file to import.");
        if (!File.Exists(path))
            throw ValidationFailedException.For("file", $"There is no file at '{Path.GetFullPath(path)}'. " +
                "'dotnet run' runs in the project folder: give an absolute path, e.g. --file \"$PWD/docs/samples/citizens-sample.csv\".");
        // The file is read twice, never held: once to know it is UTF-8 throughout (the import commits in batches, and must
        // not stop half-way on a bad byte), then row by row by the import.
        string hash;
        await using (var file = File.OpenRead(path))
            hash = await CitizenCsv.CopyCheckedAsync(file, Stream.Null, limit: null, CancellationToken.None);

        await using var app = CommandLine.BuildServices(options);
        await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = "cli";
        scope.ServiceProvider.GetRequiredService<RequestContext>().Endpoint = "cli import-citizens";
        var report = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(
            new ImportCitizens(Path.GetFullPath(path), Path.GetFileName(path), hash));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Import {report.BatchId} of {report.SourceName}: {report.Rows} rows, {report.Added} added, {report.Updated} updated, " +
            $"{report.Unchanged} unchanged, {report.Rejected} refused."));
        foreach (var r in report.RejectedRows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  line {r.Line}{(r.Cnp is null ? "" : $" (CNP {r.Cnp})")}: {r.Reason}"));
        return report.Rejected > 0 ? 3 : 0;
    }
}
