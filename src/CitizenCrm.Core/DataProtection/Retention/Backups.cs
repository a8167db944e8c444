using System.Globalization;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.DataProtection.Retention;

public sealed record BackupSet(string Folder, DateTimeOffset TakenAt, long DatabaseBytes, int Documents, int Photos, IReadOnlyList<string> Expired);

/// <summary>
/// A backup set: a consistent copy of the SQLite database and the data folder's documents and photos, in a dated folder
/// under a target folder; then the sets older than DataProtection:Retention:BackupDays are deleted. An erased citizen's
/// data lives in the sets taken before the erasure until they expire, so a restore must erase again the citizens erased
/// after the set was taken (GDPR art. 17 reaches backups too): each set carries that advice in RESTORE.txt.
/// </summary>
public sealed partial class Backups(IDatabase database, IOptions<DatabaseOptions> databaseOptions, IOptions<RetentionOptions> retention, TimeProvider clock)
{
    public const string Prefix = "citizencrm-backup-";
    private const string Format = "yyyy-MM-dd'T'HHmmss'Z'";

    /// <summary>Only folders named exactly like a set are ever deleted; anything else in the target folder is not ours.</summary>
    [GeneratedRegex(@"^citizencrm-backup-(\d{4}-\d{2}-\d{2}T\d{6}Z)$")]
    private static partial Regex SetName();

    public static string FolderName(DateTimeOffset takenAt) => Prefix + takenAt.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public async Task<BackupSet> WriteAsync(string target, CancellationToken ct)
    {
        var options = databaseOptions.Value;
        if (options.Provider != DatabaseProvider.Sqlite || options.ConnectionString is not null)
            throw new ConflictException("The backup verb copies the SQLite database in the data folder; back a server database up with its own tools.",
                "Not a SQLite data folder");
        if (!File.Exists(options.SqliteFile))
            throw ValidationFailedException.For("Database:DataFolder", $"There is no database at {Path.GetFullPath(options.SqliteFile)}: give the data folder the server uses.");
        var days = retention.Value.BackupDays; // read first: a bad setting stops before anything is written
        var takenAt = clock.GetUtcNow();
        var name = FolderName(takenAt);
        Directory.CreateDirectory(target);
        var final = Path.Combine(Path.GetFullPath(target), name);
        if (Directory.Exists(final)) throw new ConflictException($"A backup set named {name} already exists in {target}; wait a second and run it again.");
        // Written under another name and renamed when complete, so an interrupted backup is never taken for a set.
        var partial = final + ".partial";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        try
        {
            // VACUUM INTO reads one snapshot of the database (writers go on meanwhile) and writes a fresh file holding only
            // the live pages: rows deleted before it ran, erased ones included, are not carried into the copy.
            var copy = Path.Combine(partial, Path.GetFileName(options.SqliteFile));
            await using (var connection = await database.OpenAsync(ct))
                await connection.ExecuteAsync(new CommandDefinition("VACUUM INTO @copy", new { copy }, cancellationToken: ct));
            // The files after the database: a document is written before the row naming it commits (DurableFiles), so every
            // file the copied rows name is already on disk; a file added since is harmless in the set.
            var documents = CopyFiles(options.DocumentsFolder, Path.Combine(partial, "documents"), ct);
            var photos = CopyFiles(options.PhotosFolder, Path.Combine(partial, "photos"), ct);
            await File.WriteAllTextAsync(Path.Combine(partial, "RESTORE.txt"), RestoreAdvice(takenAt, days), ct);
            Directory.Move(partial, final);
            var expired = DeleteExpired(target, takenAt - TimeSpan.FromDays(days));
            return new BackupSet(final, takenAt, new FileInfo(Path.Combine(final, Path.GetFileName(options.SqliteFile))).Length, documents, photos, expired);
        }
        catch
        {
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
            throw;
        }
    }

    /// <summary>What a restore must do about erasures, printed by the verb and kept in each set.</summary>
    public static string RestoreAdvice(DateTimeOffset takenAt, int backupDays)
    {
        var at = takenAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        return $"""
            CitizenCRM backup set taken at {at} ({takenAt.ToUnixTimeMilliseconds()} ms).
            Holds: the database (citizencrm.db), the documents and the photos. Not the phone PIN key (phone-pin.key or
            CITIZENCRM_PIN_KEY): keep that secret apart from the backups; without it the citizens' phone PINs must be issued again.

            Erased citizens: this set still holds the data of citizens erased after it was taken. It is deleted by the
            backup verb once older than {backupDays} days (DataProtection:Retention:BackupDays); until then, keep it as safe
            as the live database.
            Before restoring it, list the erasures recorded after it was taken, from the current database if it can still
            be read:
                SELECT citizen_id, erased_at, legal_basis FROM citizen_erasures WHERE erased_at > {takenAt.ToUnixTimeMilliseconds()};
            (or from the erasure records kept outside the database), and right after the restore erase each of those
            citizens again, before the server is opened to staff (docs/DATA-PROTECTION.md, erasure procedure).

            """;
    }

    private static int CopyFiles(string from, string to, CancellationToken ct)
    {
        // Made even when empty: every set has the same three parts, so the documented restore copies them without a case.
        Directory.CreateDirectory(to);
        if (!Directory.Exists(from)) return 0;
        var copied = 0;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            if (file.EndsWith(".tmp", StringComparison.Ordinal)) continue; // a write under way, not yet a stored file
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
            copied++;
        }
        return copied;
    }

    /// <summary>Deletes the sets taken before the cutoff (by the date in their name: a copied folder's timestamps move).</summary>
    private static List<string> DeleteExpired(string target, DateTimeOffset cutoff)
    {
        var expired = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(target).Order(StringComparer.Ordinal))
        {
            var m = SetName().Match(Path.GetFileName(folder));
            if (!m.Success || !DateTime.TryParseExact(m.Groups[1].Value, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var taken)) continue;
            if (new DateTimeOffset(taken, TimeSpan.Zero) >= cutoff) continue;
            Directory.Delete(folder, recursive: true);
            expired.Add(Path.GetFileName(folder));
        }
        return expired;
    }
}
