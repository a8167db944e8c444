using System.Globalization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection.Retention;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Server.Cli;

/// <summary>backup: a consistent copy of the database, the documents and the photos, and the expired sets deleted (Core/DataProtection/Retention/Backups.cs).</summary>
internal static class BackupVerb
{
    public const string Usage = "--to FOLDER\n" +
        "                  write a backup set (database, documents, photos) into a dated folder under FOLDER, then delete the sets\n" +
        "                  older than DataProtection:Retention:BackupDays (35); safe while the server runs";

    public static async Task<int> RunAsync(CommandLine.Options options)
    {
        var target = options.Get("to") ?? throw ValidationFailedException.For("to", "Give --to FOLDER: where the backup sets are kept.");
        await using var app = CommandLine.BuildServices(options);
        BackupSet set;
        try
        {
            set = await app.Services.GetRequiredService<Backups>().WriteAsync(target, CancellationToken.None);
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Backup set written: {set.Folder} (database {set.DatabaseBytes:N0} bytes, {set.Documents} document file(s), {set.Photos} photo file(s))."));
        Console.WriteLine(set.Expired.Count == 0 ? "No backup set has expired." : $"Expired and deleted: {string.Join(", ", set.Expired)}.");
        Console.WriteLine();
        Console.Write(Backups.RestoreAdvice(set.TakenAt, app.Services.GetRequiredService<IOptions<RetentionOptions>>().Value.BackupDays));
        return 0;
    }
}
