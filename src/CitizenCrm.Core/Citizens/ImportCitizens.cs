using System.Text.Json.Serialization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Citizens;

/// <summary>Bound from the "CitizenImport" configuration section.</summary>
public sealed class CitizenImportOptions
{
    /// <summary>Largest citizens file the admin endpoint accepts, in bytes (413 beyond it). The CLI reads any size.</summary>
    public long MaxImportBytes { get; set; } = 100 * 1024 * 1024;
}

/// <summary>A row left out of a citizens import: its line in the file, the CNP masked as in lists, and what to fix.</summary>
public sealed record RefusedCitizenRow(int Line, string? Cnp, string Reason);

public sealed record CitizenImportReport(
    Guid BatchId,
    string SourceName,
    DateTimeOffset ImportedAt,
    int Rows,
    int Added,
    int Updated,
    int Unchanged,
    int Rejected,
    IReadOnlyList<RefusedCitizenRow> RejectedRows);

/// <summary>
/// Loads a city's population or tax register (docs/citizen-import.md) from a UTF-8 file already on disk (the endpoint and
/// the CLI check the bytes first: see <see cref="CitizenCsv.CopyCheckedAsync"/>). Keyed on the CNP: a citizen not yet known is
/// registered, a known one is brought up to date, and the same file imported twice changes nothing. Each row passes the very
/// checks of <see cref="RegisterCitizen"/>; a refused row is reported by its line and never costs the good ones.
/// </summary>
/// <param name="FilePath">Where the checked file lies; not part of the request's identity (a retry spools to a new place).</param>
/// <param name="ContentSha256">The file's hash: a retry under the same Idempotency-Key with the same file replays the report.</param>
public sealed record ImportCitizens([property: JsonIgnore] string? FilePath, string? SourceName, string? ContentSha256)
    : ICommand<CitizenImportReport>, IValidatable, Pipeline.ICommitsInBatches
{
    public void Validate(Validation v)
    {
        if (string.IsNullOrWhiteSpace(FilePath) || !File.Exists(FilePath)) v.Add("file", "There is no file to import: send the register's CSV export.");
        v.MaxLength("sourceName", SourceName, 300, "The file name");
    }
}

public sealed class ImportCitizensHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<ImportCitizens, CitizenImportReport>
{
    /// <summary>
    /// Rows written per transaction. SQLite has one writer: one transaction per row would make 50,000 rows take many minutes
    /// (one fsync each), one transaction for the whole file would hold the write lock against the desk for as long as it
    /// runs. Each batch commits on its own; a file cut short (a crash, a client gone) is finished by importing it again,
    /// since rows already imported come out unchanged.
    /// </summary>
    public const int BatchSize = 1000;

    private const string FindCitizens = "SELECT " + CitizenRow.Columns + " FROM citizens WHERE id_type = 'cnp' AND national_id IN @Ids";

    private const string Insert = """
        INSERT INTO citizens (id, id_type, national_id, first_name, last_name, date_of_birth, address,
                              preferred_language, phones, emails, created_at, updated_at, version)
        VALUES (@Id, 'cnp', @NationalId, @FirstName, @LastName, @DateOfBirth, @Address,
                @PreferredLanguage, @Phones, @Emails, @Now, @Now, 1)
        """;

    private const string Update = """
        UPDATE citizens SET first_name = @FirstName, last_name = @LastName, address = @Address,
               preferred_language = @PreferredLanguage, phones = @Phones, emails = @Emails,
               updated_at = @Now, version = version + 1
        WHERE id = @Id
        """;

    private sealed record Accepted(int Line, string Cnp, DateOnly BirthDate, CitizenDetails Details);

    public async ValueTask<CitizenImportReport> Handle(ImportCitizens command, CancellationToken ct)
    {
        var batch = Guid.NewGuid();
        var now = clock.GetUtcNow();
        var today = Calendar.Today(clock);
        var source = command.SourceName ?? "upload";
        var refused = new List<RefusedCitizenRow>();
        // Only the CNPs and their lines are kept for the duplicate check (about 60 bytes a row), never the rows themselves.
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        int rows = 0, added = 0, updated = 0, unchanged = 0;

        await using var file = new FileStream(command.FilePath!, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);
        var pending = new List<Accepted>(BatchSize);
        foreach (var row in CitizenCsv.Read(file))
        {
            ct.ThrowIfCancellationRequested();
            rows++;
            if (Check(row) is { } accepted) pending.Add(accepted);
            if (pending.Count < BatchSize) continue;
            await WriteAsync(pending);
            pending.Clear();
        }
        if (pending.Count > 0) await WriteAsync(pending);

        return new CitizenImportReport(batch, source, now, rows, added, updated, unchanged, refused.Count, refused);

        Accepted? Check(CitizenCsvRow row)
        {
            var masked = row.Cnp is null ? null : Cnp.Mask(row.Cnp);
            if (row.Malformed is not null)
            {
                refused.Add(new RefusedCitizenRow(row.Line, null, row.Malformed));
                return null;
            }
            var details = new CitizenDetails(row.FirstName, row.LastName, null, row.Address, Split(row.Phone), Split(row.Email),
                row.PreferredLanguage?.ToLowerInvariant());
            // The desk's own checks, run on the row as if a clerk had typed it (RegisterCitizen.Validate), then the one check
            // its handler adds because it needs today's date: a birth inside the CNP after today.
            var v = new Validation();
            new RegisterCitizen(IdTypes.Cnp, row.Cnp, details, Channels.System).Validate(v);
            string? reason = null;
            try { v.ThrowIfInvalid(); }
            catch (ValidationFailedException invalid) { reason = string.Join(" ", invalid.Errors.OrderBy(e => FieldOrder(e.Key)).SelectMany(e => e.Value)); }
            if (reason is null && Cnp.Problem(row.Cnp, today) is { } future) reason = future;
            if (reason is null && firstLine.TryGetValue(row.Cnp!, out var earlier))
                reason = $"This CNP already appears on line {earlier} of this file; only that line was imported. Keep one line per citizen.";
            if (reason is not null)
            {
                refused.Add(new RefusedCitizenRow(row.Line, masked, reason));
                return null;
            }
            firstLine[row.Cnp!] = row.Line;
            return new Accepted(row.Line, row.Cnp!, Cnp.BirthDate(row.Cnp!, today)!.Value, details);
        }

        async Task WriteAsync(List<Accepted> accepted)
        {
            var stored = (await uow.QueryAsync<CitizenRow>(FindCitizens, new { Ids = accepted.Select(a => a.Cnp).ToArray() }, ct))
                .ToDictionary(c => c.NationalId, StringComparer.Ordinal);
            var events = new List<TimelineEntry>();
            var nowMs = now.ToUnixTimeMilliseconds();
            foreach (var a in accepted)
            {
                var d = a.Details;
                if (!stored.TryGetValue(a.Cnp, out var old))
                {
                    var id = Guid.NewGuid();
                    await uow.ExecuteAsync(Insert, new
                    {
                        Id = id, NationalId = a.Cnp, FirstName = d.FirstName!, LastName = d.LastName!, DateOfBirth = a.BirthDate, d.Address,
                        PreferredLanguage = d.PreferredLanguage ?? "ro", Phones = Json.Serialize(d.NormalizedPhones()),
                        Emails = Json.Serialize(d.NormalizedEmails()), Now = nowMs,
                    }, ct);
                    await CitizenLookups.WriteAsync(uow, id, d, replace: false, ct);
                    events.Add(Event(id, "citizen.registered", $"Citizen {d.FirstName} {d.LastName} registered from the register import (CNP {Cnp.Mask(a.Cnp)})",
                        new { batch, source, line = a.Line }));
                    added++;
                    continue;
                }

                // The register is the authority for names, address and language. An empty cell means the register does not
                // know, so what the desk holds stays; phones and e-mails a citizen gave the desk are kept and the file's added.
                var phones = Merge(old.Phones, d.NormalizedPhones());
                var emails = Merge(old.Emails, d.NormalizedEmails());
                var next = old with
                {
                    FirstName = d.FirstName!, LastName = d.LastName!, Address = d.Address ?? old.Address,
                    PreferredLanguage = d.PreferredLanguage ?? old.PreferredLanguage, Phones = phones, Emails = emails,
                };
                var changed = new List<string>();
                if (next.FirstName != old.FirstName || next.LastName != old.LastName) changed.Add("name");
                if (next.Address != old.Address) changed.Add("address");
                if (next.PreferredLanguage != old.PreferredLanguage) changed.Add("language");
                if (next.Phones != old.Phones) changed.Add("phones");
                if (next.Emails != old.Emails) changed.Add("e-mails");
                if (changed.Count == 0) { unchanged++; continue; }

                await uow.ExecuteAsync(Update, new
                {
                    next.Id, next.FirstName, next.LastName, next.Address, next.PreferredLanguage, next.Phones, next.Emails, Now = nowMs,
                }, ct);
                // The lookups are rebuilt from everything now held; a held number the phone library no longer reads (its
                // ranges change) stays on the record but is left out of the lookup rather than failing the batch.
                await CitizenLookups.WriteAsync(uow, next.Id, d with
                {
                    Phones = (Json.Deserialize<string[]>(phones) ?? []).Where(p => PhoneNumber.ToE164(p) is not null).ToArray(),
                    Emails = Json.Deserialize<string[]>(emails),
                }, replace: true, ct);
                events.Add(Event(next.Id, "citizen.updated", $"Details updated from the register import: {string.Join(", ", changed)}",
                    new { batch, source, line = a.Line, changed }));
                updated++;
            }
            await timeline.AppendBatchAsync(events, ct);
            // The pipeline's transaction is committed batch by batch (see BatchSize); it commits the last one itself.
            await uow.CommitAsync(ct);
            await uow.BeginAsync(ct);
        }

        // The change is the import's, not a person's: the system acts, on behalf of the admin who ran it.
        TimelineEntry Event(Guid citizen, string kind, string summary, object payload) => new()
        {
            Kind = kind,
            Channel = Channels.System,
            Actor = "system",
            OnBehalfOf = context.Actor,
            Summary = summary,
            CitizenId = citizen,
            Correlation = $"import:{batch}",
            DedupKey = $"citizen-import:{batch}:{citizen}",
            Payload = payload,
        };
    }

    private static string[]? Split(string? cell) =>
        cell?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } parts ? parts : null;

    private static string Merge(string heldJson, string[] fromFile)
    {
        var held = Json.Deserialize<string[]>(heldJson) ?? [];
        return fromFile.All(held.Contains) ? heldJson : Json.Serialize(held.Concat(fromFile).Distinct().ToArray());
    }

    private static int FieldOrder(string field) => field switch
    {
        "nationalId" => 0,
        "firstName" => 1,
        "lastName" => 2,
        "address" => 3,
        _ when field.StartsWith("phones", StringComparison.Ordinal) => 4,
        _ when field.StartsWith("emails", StringComparison.Ordinal) => 5,
        _ => 6,
    };
}
