using System.Globalization;
using System.Text;
using CitizenCrm.Core.Common;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CitizenCrm.Core.Revenue;

/// <summary>Bound from "Jobs:RevenueDropFolder" (beside the job's Enabled and Schedule).</summary>
public sealed class RevenueDropFolderOptions
{
    /// <summary>The folder the revenue system drops its exports into; empty: the job does nothing (and says so).</summary>
    public string? Folder { get; set; }

    /// <summary>Where imported files go with their reports; relative paths are inside <see cref="Folder"/>.</summary>
    public string ProcessedFolder { get; set; } = "processed";

    /// <summary>Where files that could not be imported at all go, with a report saying why; relative paths are inside <see cref="Folder"/>.</summary>
    public string FailedFolder { get; set; } = "failed";

    /// <summary>
    /// A .csv file is read only once it has not been written to for this long (its last-write time, on the file
    /// system's clock): a safety net for a sender that cannot rename (a copy over a network share).
    /// </summary>
    public int QuietSeconds { get; set; } = 60;

    /// <summary>The largest file read (the import holds it in memory); larger ones go to the failed folder.</summary>
    public long MaxFileBytes { get; set; } = 200L * 1024 * 1024;

    public string ProcessedPath => Path.Combine(Path.GetFullPath(Folder!), ProcessedFolder);
    public string FailedPath => Path.Combine(Path.GetFullPath(Folder!), FailedFolder);
}

/// <summary>What one look at the drop folder did, for its run record.</summary>
public sealed class RevenueDropResult
{
    public int Imported { get; set; }
    public int Failed { get; set; }
    public int Waiting { get; set; }
    public int Rows { get; set; }
    public int Added { get; set; }
    public int Corrected { get; set; }
    public int Unchanged { get; set; }
    public int Rejected { get; set; }

    public string Summary =>
        $"{Imported} file(s) imported ({Rows} rows: {Added} added, {Corrected} corrected, {Unchanged} unchanged, {Rejected} rejected), " +
        $"{Failed} refused whole, {Waiting} still being written";
}

/// <summary>
/// Imports the revenue system's CSV exports (docs/revenue-import.md) that it drops into a folder, with the same command
/// as the admin endpoint and the CLI (<see cref="ImportRevenueLedger"/>).
/// <para>
/// A half-written file is never read. The convention for the sender: write the export under a name that does not end in
/// ".csv" (e.g. "revenue-2026-03-02.csv.part") and rename it to its ".csv" name when it is complete; a rename within one
/// file system is atomic, so a ".csv" name always holds a whole file. Only "*.csv" files directly in the folder are read
/// (not hidden ones, as rsync's temporary files are), and only once unchanged for Jobs:RevenueDropFolder:QuietSeconds,
/// for a sender that copies instead of renaming.
/// </para>
/// <para>
/// Each file read is moved to the processed folder as "{yyyyMMdd-HHmmss}-{name}" with its report beside it
/// ("….report.json", written first: a file moved aside always has its report). A file that cannot be imported at all
/// (not UTF-8, the header lacks columns, too large) goes to the failed folder with a report saying why. Repeating an
/// import has no further effect (the ledger is keyed by the revenue system's references), so a crash after the import
/// and before the move only imports the file again, with every row unchanged.
/// </para>
/// </summary>
[DisallowConcurrentExecution]
public sealed class RevenueDropFolderJob(IMediator mediator, RequestContext context, IOptions<RevenueDropFolderOptions> options, TimeProvider clock,
    ILogger<RevenueDropFolderJob> logger) : IJob
{
    public const string Name = "revenue-drop-folder";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async ValueTask Execute(IJobExecutionContext job, CancellationToken ct)
    {
        context.ActAsJob(Name);
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.Folder))
        {
            job.Result = "No drop folder configured (Jobs:RevenueDropFolder:Folder is empty): nothing read";
            return;
        }
        if (!Directory.Exists(o.Folder))
            throw new InvalidOperationException($"The drop folder '{Path.GetFullPath(o.Folder)}' (Jobs:RevenueDropFolder:Folder) does not exist.");
        job.Result = (await ImportDroppedAsync(o, ct)).Summary;
    }

    private async Task<RevenueDropResult> ImportDroppedAsync(RevenueDropFolderOptions o, CancellationToken ct)
    {
        var result = new RevenueDropResult();
        var quietSince = DateTime.UtcNow - TimeSpan.FromSeconds(Math.Max(0, o.QuietSeconds)); // file times are the OS clock's
        var files = new DirectoryInfo(o.Folder!).EnumerateFiles("*", SearchOption.TopDirectoryOnly)
            .Where(f => f.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) && !f.Name.StartsWith('.'))
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            file.Refresh();
            if (!file.Exists) continue; // taken away meanwhile
            if (file.LastWriteTimeUtc > quietSince)
            {
                result.Waiting++;
                continue;
            }

            if (file.Length > o.MaxFileBytes)
            {
                await SetAsideAsync(file, o.FailedPath, new
                {
                    file = file.Name, refusedAt = clock.GetUtcNow(),
                    reason = $"The file is {file.Length / (1024 * 1024)} MB, more than the {o.MaxFileBytes / (1024 * 1024)} MB allowed " +
                             "(Jobs:RevenueDropFolder:MaxFileBytes): split the export, or import it with the import-revenue command.",
                }, ct);
                result.Failed++;
                continue;
            }

            string text;
            try
            {
                text = StrictUtf8.GetString(await File.ReadAllBytesAsync(file.FullName, ct)).TrimStart('\uFEFF');
            }
            catch (DecoderFallbackException)
            {
                await SetAsideAsync(file, o.FailedPath, new
                {
                    file = file.Name, refusedAt = clock.GetUtcNow(),
                    reason = "The export must be saved as UTF-8 text (names carry diacritics such as ș, ț, ő).",
                }, ct);
                result.Failed++;
                continue;
            }

            RevenueImportReport report;
            try
            {
                report = await mediator.Send(new ImportRevenueLedger(text, file.Name), ct);
            }
            catch (ValidationFailedException refused)
            {
                await SetAsideAsync(file, o.FailedPath, new { file = file.Name, refusedAt = clock.GetUtcNow(), reason = refused.Message }, ct);
                result.Failed++;
                continue;
            }
            await SetAsideAsync(file, o.ProcessedPath, report, ct);
            result.Imported++;
            result.Rows += report.Rows;
            result.Added += report.Added;
            result.Corrected += report.Corrected;
            result.Unchanged += report.Unchanged;
            result.Rejected += report.Rejected;
        }
        return result;
    }

    /// <summary>Writes the report durably into <paramref name="folder"/>, then moves the file beside it under the same stamped name.</summary>
    private async Task SetAsideAsync(FileInfo file, string folder, object report, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var target = Path.Combine(folder, $"{stamp}-{file.Name}");
        for (var n = 2; File.Exists(target) || File.Exists(target + ".report.json"); n++)
            target = Path.Combine(folder, $"{stamp}-{n}-{file.Name}");

        var reportPath = target + ".report.json";
        var temp = reportPath + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await System.Text.Json.JsonSerializer.SerializeAsync(stream, report, report.GetType(), ReportJson, ct);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, reportPath, overwrite: true);
        Storage.Durability.SyncFolder(folder);
        File.Move(file.FullName, target);
        Storage.Durability.SyncFolder(folder);
        Storage.Durability.SyncFolder(file.DirectoryName!);
        logger.LogInformation("Revenue drop folder: {File} moved to {Target}", file.Name, target);
    }

    private static readonly System.Text.Json.JsonSerializerOptions ReportJson = new(Json.Options) { WriteIndented = true };
}
