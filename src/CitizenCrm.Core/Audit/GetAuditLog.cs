using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Dapper;
using Mediator;

namespace CitizenCrm.Core.Audit;

public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string ActorRole, Guid CitizenId, string Endpoint, string Query);

/// <summary>
/// A page of the audit log, newest first; before=<see cref="NextBefore"/> gives the next. <see cref="Total"/> counts the
/// rows matching the filters: one index range for a citizen or an actor; without a filter SQLite counts the smallest
/// index of the table (measured in the notes of issue 9).
/// </summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? NextBefore, long Total);

/// <summary>Supervisors see who read whose data, newest first.</summary>
public sealed record GetAuditLog(Guid? CitizenId = null, string? Actor = null, DateOnly? From = null, DateOnly? To = null, long? Before = null, int? Limit = null)
    : IQuery<AuditPage>, IValidatable
{
    public void Validate(Validation v)
    {
        if (Limit is < 1 or > 500) v.Add("limit", "The page size must be between 1 and 500.");
        v.DateWithinReason("from", From, "The start date");
        v.DateWithinReason("to", To, "The end date");
        if (From is { } f && To is { } t && t < f) v.Add("to", "The end date is before the start date.");
    }
}

public sealed class GetAuditLogHandler(UnitOfWork uow) : IQueryHandler<GetAuditLog, AuditPage>
{
    private sealed record Row(long Id, long At, string Actor, string ActorRole, Guid CitizenId, string Endpoint, string Query);

    public async ValueTask<AuditPage> Handle(GetAuditLog q, CancellationToken ct)
    {
        var take = q.Limit ?? 100;
        var sql = new System.Text.StringBuilder("SELECT id AS Id, at AS At, actor AS Actor, actor_role AS ActorRole, citizen_id AS CitizenId, endpoint AS Endpoint, query AS Query FROM audit_log WHERE 1 = 1");
        var p = new DynamicParameters();
        if (q.CitizenId is { } c) { sql.Append(" AND citizen_id = @CitizenId"); p.Add("CitizenId", c); }
        if (q.Actor is { } a) { sql.Append(" AND actor = @Actor"); p.Add("Actor", a.ToLowerInvariant()); }
        if (q.From is { } f) { sql.Append(" AND at >= @From"); p.Add("From", Calendar.StartOfDay(f).ToUnixTimeMilliseconds()); }
        if (q.To is { } t) { sql.Append(" AND at < @To"); p.Add("To", Calendar.StartOfDay(t.AddDays(1)).ToUnixTimeMilliseconds()); }
        var total = await uow.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log" + sql.ToString()[sql.ToString().IndexOf(" WHERE 1 = 1", StringComparison.Ordinal)..], p, ct);
        if (q.Before is { } b) { sql.Append(" AND id < @Before"); p.Add("Before", b); }
        sql.Append(" ORDER BY id DESC ").Append(uow.Dialect.LimitClause);
        p.Add("Limit", take + 1);
        var rows = await uow.QueryAsync<Row>(sql.ToString(), p, ct);
        var entries = rows.Take(take).Select(r => new AuditEntry(r.Id, Calendar.FromMs(r.At), r.Actor, r.ActorRole, r.CitizenId, r.Endpoint, r.Query)).ToList();
        return new AuditPage(entries, rows.Count > take ? entries[^1].Id : null, total);
    }
}
