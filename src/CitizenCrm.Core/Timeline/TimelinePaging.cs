using System.Text;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Dapper;

namespace CitizenCrm.Core.Timeline;

/// <summary>Optional filters shared by every timeline view. Dates are Bucharest calendar days, inclusive.</summary>
public sealed record TimelineFilter(string? Channel = null, string? Kind = null, DateOnly? From = null, DateOnly? To = null)
{
    public void Validate(Validation v)
    {
        if (Channel is not null && !Channels.All.Contains(Channel))
            v.Add("channel", $"Unknown channel '{Channel}'. Use one of: {string.Join(", ", Channels.All)}.");
        v.DateWithinReason("from", From, "The start date");
        v.DateWithinReason("to", To, "The end date");
        if (From is { } f && To is { } t && t < f) v.Add("to", "The end date is before the start date.");
    }
}

/// <summary>
/// A page of events, newest first. Pass <see cref="NextBefore"/> as before= for the next page. <see cref="Total"/> counts
/// every event that matches the filters on one citizen's, case's or call's timeline (an index range, cheap); the
/// dispatchers' feed leaves it null: it is every event of every channel, growing by the second, and counting it would
/// read the whole timeline on every page for a number that is stale before it arrives.
/// </summary>
public sealed record TimelinePage(IReadOnlyList<TimelineEvent> Events, long? NextBefore, long? Total = null) : ICitizenDataResult
{
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<Guid> CitizensShown => Events.Where(e => e.CitizenId.HasValue).Select(e => e.CitizenId!.Value);
}

/// <summary>
/// Keyset paging on the global sequence after an equality prefix (citizen, case or call): never OFFSET,
/// and never a row-value comparison (SQL Server lacks it). Events appended while a clerk pages get
/// higher sequence numbers, so older pages neither skip nor repeat anything.
/// </summary>
internal static class TimelinePaging
{
    public const int DefaultLimit = 50, MaxLimit = 200;

    public static void ValidateLimit(Validation v, int? limit)
    {
        if (limit is < 1 or > MaxLimit) v.Add("limit", $"The page size must be between 1 and {MaxLimit}.");
    }

    public static async Task<TimelinePage> ReadAsync(UnitOfWork uow, string? prefix, object? prefixValue,
        TimelineFilter filter, long? before, int? limit, CancellationToken ct)
    {
        var take = limit ?? DefaultLimit;
        var where = new StringBuilder(" WHERE 1 = 1");
        var p = new DynamicParameters();
        if (prefix is not null)
        {
            where.Append(" AND ").Append(prefix).Append(" = @Prefix");
            p.Add("Prefix", prefixValue);
        }
        if (filter.Channel is not null) { where.Append(" AND channel = @Channel"); p.Add("Channel", filter.Channel); }
        if (filter.Kind is not null) { where.Append(" AND kind = @Kind"); p.Add("Kind", filter.Kind); }
        if (filter.From is { } from) { where.Append(" AND occurred_at >= @From"); p.Add("From", Calendar.StartOfDay(from).ToUnixTimeMilliseconds()); }
        if (filter.To is { } to) { where.Append(" AND occurred_at < @To"); p.Add("To", Calendar.StartOfDay(to.AddDays(1)).ToUnixTimeMilliseconds()); }
        // The total counts the events alone: every filter is a column of timeline_events, and the view's join to each
        // event's details would make the count read a details row per event (0.5 ms against 0.03 ms for a citizen with
        // 200 events at ten million; docs/PERFORMANCE.md, "Timeline pages").
        long? total = prefix is null ? null : await uow.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM timeline_events" + where, p, ct);

        var sql = new StringBuilder("SELECT ").Append(TimelineRow.Columns).Append(" FROM timeline").Append(where);
        if (before is not null) { sql.Append(" AND seq < @Before"); p.Add("Before", before); }
        sql.Append(" ORDER BY seq DESC ").Append(uow.Dialect.LimitClause);
        p.Add("Limit", take + 1);

        var rows = await uow.QueryAsync<TimelineRow>(sql.ToString(), p, ct);
        var events = rows.Take(take).Select(r => r.ToEvent()).ToList();
        return new TimelinePage(events, rows.Count > take ? events[^1].Seq : null, total);
    }
}
