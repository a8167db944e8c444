using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Reports;

/// <summary>Time to answer of one kind of case (or "all"), in calendar days; null medians when nothing was answered.</summary>
public sealed record AnswerTimesRow(string Kind, long Answered, long? MedianDays, long? Percentile90Days);

public sealed record AnswerTimes(DateOnly From, DateOnly To, string? Department, string? Channel, string? Service, string Definition,
    IReadOnlyList<AnswerTimesRow> Kinds, AnswerTimesRow All) : IReportTable
{
    public IReadOnlyList<string> CsvHeader() => ["kind", "answered", "median_days", "percentile_90_days"];

    public IEnumerable<IReadOnlyList<string>> CsvRows() => Kinds.Append(All).Select(r => (IReadOnlyList<string>)
        [r.Kind, ReportText.Of(r.Answered), ReportText.Of(r.MedianDays), ReportText.Of(r.Percentile90Days)]);
}

/// <summary>
/// Median and 90th percentile of the time to answer, for cases answered (or refused with a motivated answer) on a day of
/// the range. Time to answer = the Bucharest date of the answer minus the registration date, in calendar days: the way
/// the legal terms are counted (OG 27/2002 art. 8, Law 544/2001 art. 7), so "answered in 10 days" reads against the
/// 10-day term. Percentiles by the nearest-rank method: the p-th percentile of n sorted values is the value at rank
/// ceil(p/100 × n) (1-based). It is always one of the observed values, a whole number of days; the median is the 50th
/// percentile by the same rule, so for an even count it is the lower of the two middle values.
/// </summary>
public sealed record GetAnswerTimes(ReportFilter Filter) : IQuery<AnswerTimes>, IValidatable
{
    public const string Definition =
        "Calendar days from the registration date to the answer date (Europe/Bucharest); percentiles by nearest rank: the value at rank ceil(p/100 x n) of the n sorted times.";

    public void Validate(Validation v) => Filter.Validate(v);
}

public sealed class GetAnswerTimesHandler(UnitOfWork uow) : IQueryHandler<GetAnswerTimes, AnswerTimes>
{
    private const string Answered = """
        SELECT c.kind AS Kind, c.registered_on AS RegisteredOn, c.answered_on AS AnsweredOn
        """ + ReportScope.CasesFrom + " WHERE c.answered_on BETWEEN @From AND @To AND " + ReportScope.CaseFilters;

    private sealed record Row
    {
        public string Kind { get; init; } = "";
        public DateOnly RegisteredOn { get; init; }
        public DateOnly AnsweredOn { get; init; }
    }

    public async ValueTask<AnswerTimes> Handle(GetAnswerTimes query, CancellationToken ct)
    {
        var scope = query.Filter.Scope();
        await scope.EnsureServiceKnownAsync(uow, ct);
        var rows = await uow.QueryAsync<Row>(Answered, scope.Parameters(default), ct);
        var days = rows.Select(r => (r.Kind, Days: (long)(r.AnsweredOn.DayNumber - r.RegisteredOn.DayNumber))).ToList();
        var kinds = new[] { CaseKinds.Petition, CaseKinds.InformationRequest, CaseKinds.ServiceRequest }
            .Select(k => Line(k, days.Where(d => d.Kind == k).Select(d => d.Days).ToList())).ToList();
        return new AnswerTimes(scope.From, scope.To, scope.Department, scope.Channel, scope.Service, GetAnswerTimes.Definition,
            kinds, Line("all", days.Select(d => d.Days).ToList()));
    }

    private static AnswerTimesRow Line(string kind, List<long> days) =>
        new(kind, days.Count, Percentiles.NearestRank(days, 50), Percentiles.NearestRank(days, 90));
}

public static class Percentiles
{
    /// <summary>The nearest-rank p-th percentile: the value at rank ceil(p/100 × n) of the sorted values; null for none.</summary>
    public static long? NearestRank(IReadOnlyCollection<long> values, int p)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100m * sorted.Count);
        return sorted[Math.Max(rank, 1) - 1];
    }
}
