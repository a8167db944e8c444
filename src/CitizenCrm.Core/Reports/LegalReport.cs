using CitizenCrm.Core.Common;

namespace CitizenCrm.Core.Reports;

/// <summary>
/// One figure a law asks for: its key (as listed in docs/legal-reports.md), what it is in Romanian, where the law asks
/// for it, and its value; or, when the system does not hold the data it needs, no value and a sentence saying why.
/// A breakdown (per department, per channel) has its parts in <see cref="Breakdown"/>.
/// </summary>
public sealed record LegalFigure(string Key, string Label, string Source, decimal? Value, IReadOnlyDictionary<string, long>? Breakdown, string? NotHeld);

/// <summary>A report the law requires, figure by figure, as docs/legal-reports.md lists them.</summary>
public sealed record LegalReport(string Title, string LegalBasis, DateOnly From, DateOnly To, DateOnly DrawnOn, string Cohort,
    IReadOnlyList<LegalFigure> Figures) : IReportTable
{
    public IReadOnlyList<string> CsvHeader() => ["figure", "value", "label", "source", "not_held"];

    /// <summary>A line per figure; a breakdown adds a line per part ("requests_by_department.Urbanism").</summary>
    public IEnumerable<IReadOnlyList<string>> CsvRows()
    {
        foreach (var f in Figures)
        {
            yield return [f.Key, ReportText.Of(f.Value), f.Label, f.Source, f.NotHeld ?? ""];
            foreach (var (part, n) in f.Breakdown ?? new Dictionary<string, long>())
                yield return [f.Key + "." + part, ReportText.Of(n), "", "", ""];
        }
    }

    internal static LegalFigure Count(string key, string label, string source, long value) => new(key, label, source, value, null, null);

    internal static LegalFigure Parts(string key, string label, string source, IReadOnlyDictionary<string, long> parts) =>
        new(key, label, source, parts.Values.Sum(), parts, null);

    internal static LegalFigure Missing(string key, string label, string source, string why) => new(key, label, source, null, null, why);
}
