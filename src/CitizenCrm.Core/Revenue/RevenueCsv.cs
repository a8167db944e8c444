using System.Globalization;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Common;
using CsvHelper;

namespace CitizenCrm.Core.Revenue;

/// <summary>A tax obligation row of the revenue system's export (docs/revenue-import.md), checked and in bani.</summary>
public sealed record TaxRow(int Line, string SourceRef, string NationalId, DateOnly ExportedOn, string TaxKind, int FiscalYear,
    string Description, long AmountDue, long AmountPaid, long? Increases);

/// <summary>A fine row of the export, checked and in bani.</summary>
public sealed record FineRowIn(int Line, string SourceRef, string NationalId, DateOnly ExportedOn, string ReportNumber, DateOnly HandedOverOn,
    string LegalBasis, string FineCategory, long AmountApplied, long LegalMinimum, long AmountPaid, DateOnly? PaidOn);

/// <summary>A row left out of an import, by its line in the file, with the reason in a sentence.</summary>
public sealed record RejectedRow(int Line, string? SourceRef, string Reason);

public sealed record ParsedExport(int Rows, IReadOnlyList<TaxRow> Taxes, IReadOnlyList<FineRowIn> Fines, IReadOnlyList<RejectedRow> Rejected);

/// <summary>
/// Reads the revenue system's CSV export with CsvHelper: comma-separated, UTF-8, a header row naming the columns (in any order),
/// one row per obligation or fine. Each row is checked on its own, so one bad row never costs the good ones.
/// </summary>
public static partial class RevenueCsv
{
    public static readonly string[] Columns =
    [
        "record_type", "source_ref", "national_id", "exported_on",
        "tax_kind", "fiscal_year", "description", "amount_due", "amount_paid", "increases",
        "report_number", "handed_over_on", "legal_basis", "fine_category", "amount_applied", "legal_minimum", "paid_on",
    ];

    [GeneratedRegex(@"^\d{1,12}(\.\d{1,2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex LeiPattern();

    public static ParsedExport Parse(string text)
    {
        var rejected = new List<RejectedRow>();
        var taxes = new List<TaxRow>();
        var fines = new List<FineRowIn>();
        var malformed = 0;
        var options = ExportCsv.OneRowPerLine with
        {
            OnMalformedRecord = m =>
            {
                malformed++;
                rejected.Add(new RejectedRow((int)m.LineNumber, null, $"The row's quoting is broken ({m.Reason}): check the quotes."));
            },
        };
        using var reader = CsvReader.FromText(text, options);
        reader.ReadHeader();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var column in Columns)
            if (reader.TryGetFieldIndex(column, out var i)) index[column] = i;
        var missing = Columns.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw ValidationFailedException.For("file", $"The first line must name the columns; missing: {string.Join(", ", missing)}. See docs/revenue-import.md.");

        var rows = 0;
        while (reader.Read())
        {
            rows++;
            var line = (int)reader.LineNumber;
            string? Get(string column) => index[column] < reader.FieldCount && reader.GetString(index[column]) is { Length: > 0 } v ? v.Trim() : null;
            var problems = new List<string>();
            var sourceRef = Get("source_ref");
            if (sourceRef is null) problems.Add("source_ref is empty");
            else if (sourceRef.Length > 100) problems.Add("source_ref is longer than 100 characters");
            var nationalId = Get("national_id")?.ToUpperInvariant();
            if (nationalId is null) problems.Add("national_id is empty");
            var exportedOn = Date(Get("exported_on"), "exported_on", problems, required: true);

            switch (Get("record_type")?.ToLowerInvariant())
            {
                case "tax":
                {
                    var kind = Get("tax_kind")?.ToLowerInvariant();
                    if (kind is null || !TaxRules.Kinds.Contains(kind)) problems.Add("tax_kind must be building, land, vehicle or other");
                    var yearText = Get("fiscal_year");
                    if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2100)
                        problems.Add("fiscal_year must be a year such as 2026");
                    var description = Get("description");
                    if (description is null) problems.Add("description is empty (give the address or the plate)");
                    else if (description.Length > 300) problems.Add("description is longer than 300 characters");
                    var due = Lei(Get("amount_due"), "amount_due", problems, required: true);
                    var paid = Lei(Get("amount_paid"), "amount_paid", problems, required: true);
                    var increases = Lei(Get("increases"), "increases", problems, required: false);
                    if (problems.Count == 0)
                        taxes.Add(new TaxRow(line, sourceRef!, nationalId!, exportedOn!.Value, kind!, year, description!, due!.Value, paid!.Value, increases));
                    break;
                }
                case "fine":
                {
                    var number = Get("report_number");
                    if (number is null) problems.Add("report_number is empty");
                    else if (number.Length > 50) problems.Add("report_number is longer than 50 characters");
                    var handedOver = Date(Get("handed_over_on"), "handed_over_on", problems, required: true);
                    var basis = Get("legal_basis");
                    if (basis is null) problems.Add("legal_basis is empty");
                    else if (basis.Length > 200) problems.Add("legal_basis is longer than 200 characters");
                    var category = Get("fine_category")?.ToLowerInvariant() ?? FineRules.General;
                    if (!FineRules.Categories.Contains(category)) problems.Add($"fine_category must be one of {string.Join(", ", FineRules.Categories)}");
                    var applied = Lei(Get("amount_applied"), "amount_applied", problems, required: true);
                    var minimum = Lei(Get("legal_minimum"), "legal_minimum", problems, required: true);
                    var paid = Lei(Get("amount_paid"), "amount_paid", problems, required: true);
                    var paidOn = Date(Get("paid_on"), "paid_on", problems, required: false);
                    if (paid > 0 && paidOn is null) problems.Add("paid_on is required when something was paid (the 15 days of OG 2/2001 art. 28 depend on it)");
                    if (paidOn is not null && handedOver is not null && paidOn < handedOver) problems.Add("paid_on is before handed_over_on");
                    if (problems.Count == 0)
                        fines.Add(new FineRowIn(line, sourceRef!, nationalId!, exportedOn!.Value, number!, handedOver!.Value, basis!, category,
                            applied!.Value, minimum!.Value, paid!.Value, paidOn));
                    break;
                }
                default:
                    problems.Insert(0, "record_type must be tax or fine");
                    break;
            }
            if (problems.Count > 0)
                rejected.Add(new RejectedRow(line, sourceRef, Sentence(problems)));
        }
        return new ParsedExport(rows + malformed, taxes, fines, rejected.OrderBy(r => r.Line).ToList());
    }

    private static string Sentence(List<string> problems)
    {
        // Column names are kept as written in the file (lower case), so the sentence starts with one as it is.
        return string.Join("; ", problems) + ".";
    }

    /// <summary>Lei with a point and at most two decimals ("1234.50"), to bani; no sign, no thousands separator.</summary>
    private static long? Lei(string? value, string column, List<string> problems, bool required)
    {
        if (value is null)
        {
            if (required) problems.Add($"{column} is empty");
            return null;
        }
        if (!LeiPattern().IsMatch(value))
        {
            problems.Add($"{column} '{value}' is not an amount in lei such as 1234.50 (a point, at most two decimals, not negative)");
            return null;
        }
        return Money.ToBani(decimal.Parse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
    }

    private static DateOnly? Date(string? value, string column, List<string> problems, bool required)
    {
        if (value is null)
        {
            if (required) problems.Add($"{column} is empty");
            return null;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        problems.Add($"{column} '{value}' is not a date written yyyy-MM-dd");
        return null;
    }
}
