using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Revenue;

public sealed record RevenueImportReport(
    Guid BatchId,
    string SourceName,
    DateTimeOffset ImportedAt,
    int Rows,
    int Added,
    int Corrected,
    int Unchanged,
    int Rejected,
    int CitizensTouched,
    IReadOnlyList<RejectedRow> RejectedRows);

/// <summary>
/// Imports the revenue system's CSV export (docs/revenue-import.md). The revenue system is the authority: its rows replace
/// CitizenCRM's copy, keyed by its source reference, so importing the same file again changes nothing, and a row re-sent with
/// other values corrects the obligation. Bad rows are reported by line and left out; the good ones are kept, all in one transaction.
/// </summary>
public sealed record ImportRevenueLedger(string? Csv, string? SourceName) : ICommand<RevenueImportReport>, IValidatable
{
    public void Validate(Validation v)
    {
        if (string.IsNullOrWhiteSpace(Csv)) v.Add("file", "The file is empty: send the revenue system's CSV export.");
        v.MaxLength("sourceName", SourceName, 300, "The file name");
    }
}

public sealed class ImportRevenueLedgerHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<ImportRevenueLedger, RevenueImportReport>
{
    private const string FindCitizens = "SELECT national_id AS NationalId, id AS Id FROM citizens WHERE national_id IN @Ids";

    private const string FindTaxes = $"""
        SELECT {TaxObligationRow.Columns}
        FROM tax_obligations WHERE source_ref IN @Refs
        """;

    private const string InsertTax = """
        INSERT INTO tax_obligations (id, citizen_id, source_ref, tax_kind, fiscal_year, description, amount_due, amount_paid,
                                     increases, exported_on, import_batch, updated_at, version)
        VALUES (@Id, @CitizenId, @SourceRef, @TaxKind, @FiscalYear, @Description, @AmountDue, @AmountPaid,
                @Increases, @ExportedOn, @Batch, @Now, 1)
        """;

    private const string UpdateTax = """
        UPDATE tax_obligations
        SET tax_kind = @TaxKind, fiscal_year = @FiscalYear, description = @Description, amount_due = @AmountDue,
            amount_paid = @AmountPaid, increases = @Increases, exported_on = @ExportedOn, import_batch = @Batch,
            updated_at = @Now, version = version + 1
        WHERE id = @Id
        """;

    private const string FindFines = $"""
        SELECT {FineRow.Columns}
        FROM fines WHERE source_ref IN @Refs
        """;

    private const string InsertFine = """
        INSERT INTO fines (id, citizen_id, source_ref, report_number, handed_over_on, legal_basis, fine_category, amount_applied,
                           legal_minimum, amount_paid, paid_on, exported_on, import_batch, updated_at, version)
        VALUES (@Id, @CitizenId, @SourceRef, @ReportNumber, @HandedOverOn, @LegalBasis, @FineCategory, @AmountApplied,
                @LegalMinimum, @AmountPaid, @PaidOn, @ExportedOn, @Batch, @Now, 1)
        """;

    private const string UpdateFine = """
        UPDATE fines
        SET report_number = @ReportNumber, handed_over_on = @HandedOverOn, legal_basis = @LegalBasis, fine_category = @FineCategory,
            amount_applied = @AmountApplied, legal_minimum = @LegalMinimum, amount_paid = @AmountPaid, paid_on = @PaidOn,
            exported_on = @ExportedOn, import_batch = @Batch, updated_at = @Now, version = version + 1
        WHERE id = @Id
        """;

    private const string InsertImport = """
        INSERT INTO revenue_imports (batch_id, imported_at, actor, source_name, rows_total, rows_added, rows_corrected, rows_unchanged, rows_rejected)
        VALUES (@BatchId, @ImportedAt, @Actor, @SourceName, @Rows, @Added, @Corrected, @Unchanged, @Rejected)
        """;

    private const int Chunk = 500;

    public async ValueTask<RevenueImportReport> Handle(ImportRevenueLedger command, CancellationToken ct)
    {
        var parsed = RevenueCsv.Parse(command.Csv!);
        var batch = Guid.NewGuid();
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var rejected = parsed.Rejected.ToList();

        // A reference twice in one file is ambiguous: the first is kept, the others reported.
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        bool FirstInFile(int line, string sourceRef)
        {
            if (seen.TryAdd(sourceRef, line)) return true;
            rejected.Add(new RejectedRow(line, sourceRef, $"The source reference already appears on line {seen[sourceRef]} of this file; only that line was imported."));
            return false;
        }
        var taxes = parsed.Taxes.Where(t => FirstInFile(t.Line, "tax:" + t.SourceRef)).ToList();
        var fines = parsed.Fines.Where(f => FirstInFile(f.Line, "fine:" + f.SourceRef)).ToList();

        var citizens = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var ids in taxes.Select(t => t.NationalId).Concat(fines.Select(f => f.NationalId)).Distinct().Chunk(Chunk))
            foreach (var c in await uow.QueryAsync<CitizenKey>(FindCitizens, new { Ids = ids }, ct))
                citizens[c.NationalId] = c.Id;
        bool Known(int line, string sourceRef, string nationalId)
        {
            if (citizens.ContainsKey(nationalId)) return true;
            rejected.Add(new RejectedRow(line, sourceRef,
                $"No citizen is registered with national ID {Cnp.Mask(nationalId)}: register the citizen first, then import the file again."));
            return false;
        }
        taxes = taxes.Where(t => Known(t.Line, t.SourceRef, t.NationalId)).ToList();
        fines = fines.Where(f => Known(f.Line, f.SourceRef, f.NationalId)).ToList();

        var changes = new Dictionary<Guid, CitizenChanges>();
        void Touch(Guid citizen, bool correction, object change)
        {
            if (!changes.TryGetValue(citizen, out var c)) changes[citizen] = c = new CitizenChanges();
            c.List.Add(change);
            if (correction) c.Corrected++; else c.Added++;
        }
        int added = 0, corrected = 0, unchanged = 0;

        var storedTaxes = new Dictionary<string, TaxObligationRow>(StringComparer.Ordinal);
        foreach (var refs in taxes.Select(t => t.SourceRef).Chunk(Chunk))
            foreach (var s in await uow.QueryAsync<TaxObligationRow>(FindTaxes, new { Refs = refs }, ct)) storedTaxes[s.SourceRef] = s;
        foreach (var t in taxes)
        {
            var citizen = citizens[t.NationalId];
            var values = new
            {
                Id = Guid.Empty, CitizenId = citizen, t.SourceRef, t.TaxKind, t.FiscalYear, t.Description, t.AmountDue, t.AmountPaid,
                t.Increases, t.ExportedOn, Batch = batch, Now = nowMs,
            };
            if (!storedTaxes.TryGetValue(t.SourceRef, out var old))
            {
                await uow.ExecuteAsync(InsertTax, values with { Id = Guid.NewGuid() }, ct);
                added++;
                Touch(citizen, false, new { change = "added", record = "tax", sourceRef = t.SourceRef, taxKind = t.TaxKind, fiscalYear = t.FiscalYear,
                    amountDue = Money.ToLei(t.AmountDue), amountPaid = Money.ToLei(t.AmountPaid) });
                continue;
            }
            if (Refused(t.Line, t.SourceRef, old.CitizenId, citizen, old.ExportedOn, t.ExportedOn)) continue;
            var same = old.TaxKind == t.TaxKind && old.FiscalYear == t.FiscalYear && old.Description == t.Description
                && old.AmountDue == t.AmountDue && old.AmountPaid == t.AmountPaid && old.Increases == t.Increases;
            if (same && old.ExportedOn == t.ExportedOn) { unchanged++; continue; }
            await uow.ExecuteAsync(UpdateTax, values with { Id = old.Id }, ct);
            // Same figures in a later export only move the date they are as of: no correction, nothing on the timeline.
            if (same) { unchanged++; continue; }
            corrected++;
            Touch(citizen, true, new { change = "corrected", record = "tax", sourceRef = t.SourceRef,
                before = new { old.TaxKind, old.FiscalYear, old.Description, amountDue = Money.ToLei(old.AmountDue), amountPaid = Money.ToLei(old.AmountPaid),
                    increases = old.Increases is { } oi ? Money.ToLei(oi) : (decimal?)null, old.ExportedOn },
                after = new { t.TaxKind, t.FiscalYear, t.Description, amountDue = Money.ToLei(t.AmountDue), amountPaid = Money.ToLei(t.AmountPaid),
                    increases = t.Increases is { } ni ? Money.ToLei(ni) : (decimal?)null, t.ExportedOn } });
        }

        var storedFines = new Dictionary<string, FineRow>(StringComparer.Ordinal);
        foreach (var refs in fines.Select(f => f.SourceRef).Chunk(Chunk))
            foreach (var s in await uow.QueryAsync<FineRow>(FindFines, new { Refs = refs }, ct)) storedFines[s.SourceRef] = s;
        foreach (var f in fines)
        {
            var citizen = citizens[f.NationalId];
            var values = new
            {
                Id = Guid.Empty, CitizenId = citizen, f.SourceRef, f.ReportNumber, f.HandedOverOn, f.LegalBasis, f.FineCategory,
                f.AmountApplied, f.LegalMinimum, f.AmountPaid, f.PaidOn, f.ExportedOn, Batch = batch, Now = nowMs,
            };
            if (!storedFines.TryGetValue(f.SourceRef, out var old))
            {
                await uow.ExecuteAsync(InsertFine, values with { Id = Guid.NewGuid() }, ct);
                added++;
                Touch(citizen, false, new { change = "added", record = "fine", sourceRef = f.SourceRef, reportNumber = f.ReportNumber,
                    amountApplied = Money.ToLei(f.AmountApplied), amountPaid = Money.ToLei(f.AmountPaid) });
                continue;
            }
            if (Refused(f.Line, f.SourceRef, old.CitizenId, citizen, old.ExportedOn, f.ExportedOn)) continue;
            var same = old.ReportNumber == f.ReportNumber && old.HandedOverOn == f.HandedOverOn && old.LegalBasis == f.LegalBasis
                && old.FineCategory == f.FineCategory && old.AmountApplied == f.AmountApplied && old.LegalMinimum == f.LegalMinimum
                && old.AmountPaid == f.AmountPaid && old.PaidOn == f.PaidOn;
            if (same && old.ExportedOn == f.ExportedOn) { unchanged++; continue; }
            await uow.ExecuteAsync(UpdateFine, values with { Id = old.Id }, ct);
            if (same) { unchanged++; continue; }
            corrected++;
            Touch(citizen, true, new { change = "corrected", record = "fine", sourceRef = f.SourceRef,
                before = new { old.ReportNumber, old.HandedOverOn, old.LegalBasis, old.FineCategory, amountApplied = Money.ToLei(old.AmountApplied),
                    legalMinimum = Money.ToLei(old.LegalMinimum), amountPaid = Money.ToLei(old.AmountPaid), old.PaidOn },
                after = new { f.ReportNumber, f.HandedOverOn, f.LegalBasis, f.FineCategory, amountApplied = Money.ToLei(f.AmountApplied),
                    legalMinimum = Money.ToLei(f.LegalMinimum), amountPaid = Money.ToLei(f.AmountPaid), f.PaidOn } });
        }

        // One system event per citizen touched (not per row), all carrying the batch as their correlation.
        foreach (var (citizen, c) in changes)
        {
            var (addedHere, correctedHere) = (c.Added, c.Corrected);
            await timeline.AppendAsync(new TimelineEntry
            {
                Kind = correctedHere > 0 ? "revenue.ledger_corrected" : "revenue.ledger_imported",
                Channel = Channels.System,
                Summary = correctedHere > 0
                    ? $"Revenue system import: {correctedHere} record(s) corrected, {addedHere} added"
                    : $"Revenue system import: {addedHere} record(s) added",
                CitizenId = citizen,
                Correlation = $"import:{batch}",
                DedupKey = $"import:{batch}:{citizen}",
                Payload = new { batch, source = command.SourceName ?? "upload", changes = c.List },
            }, ct);
        }

        rejected.Sort((a, b) => a.Line.CompareTo(b.Line));
        var report = new RevenueImportReport(batch, command.SourceName ?? "upload", now, parsed.Rows, added, corrected, unchanged,
            rejected.Count, changes.Count, rejected);
        await uow.ExecuteAsync(InsertImport, new
        {
            BatchId = batch, ImportedAt = nowMs, context.Actor, report.SourceName, report.Rows, report.Added, report.Corrected,
            report.Unchanged, report.Rejected,
        }, ct);
        return report;

        bool Refused(int line, string sourceRef, Guid oldCitizen, Guid newCitizen, DateOnly oldExport, DateOnly newExport)
        {
            if (oldCitizen != newCitizen)
            {
                rejected.Add(new RejectedRow(line, sourceRef,
                    "This source reference belongs to another taxpayer's record; the revenue system must issue a new reference rather than move a record."));
                return true;
            }
            if (newExport < oldExport)
            {
                rejected.Add(new RejectedRow(line, sourceRef,
                    $"This row is from an export of {newExport:yyyy-MM-dd}, older than the figures already held (as of {oldExport:yyyy-MM-dd}); it was left out."));
                return true;
            }
            return false;
        }
    }

    private sealed class CitizenChanges
    {
        public List<object> List { get; } = [];
        public int Added { get; set; }
        public int Corrected { get; set; }
    }

    private sealed record CitizenKey
    {
        public string NationalId { get; init; } = "";
        public Guid Id { get; init; }
    }
}
