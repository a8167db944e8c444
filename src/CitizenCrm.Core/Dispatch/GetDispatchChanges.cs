using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Dispatch;

/// <summary>
/// One change for the dispatchers' open screens, as the live stream sends it: which timeline event (its global
/// sequence, the stream's event id), what happened, to which case or call, by whom. No names, no summary text: a
/// screen that wants the item's details reads the queue (an audited read), so the stream shows no more than the queue.
/// </summary>
public sealed record DispatchChange(long Seq, string Kind, string Channel, Guid? CaseId, string? RegistrationNumber, string? CallSid,
    string Actor, DateTimeOffset OccurredAt);

/// <summary>The changes after <see cref="After"/>, and how far the timeline was read (events that do not concern the queue are skipped).</summary>
public sealed record DispatchChanges(IReadOnlyList<DispatchChange> Changes, long ReadUpTo);

/// <summary>
/// Reads what changed from the database — the timeline, by its global sequence — never from one server's memory,
/// so a change committed by another server process reaches every stream. On SQLite one writer at a time commits, so
/// sequences become visible in order and "after the last one seen" misses nothing.
/// </summary>
public sealed record GetDispatchChanges(long After, int Limit = 200) : IQuery<DispatchChanges>;

/// <summary>Where a new stream starts when the client brings no Last-Event-ID: the newest event now.</summary>
public sealed record GetLatestTimelineSeq : IQuery<long>;

public sealed class GetDispatchChangesHandler(UnitOfWork uow) : IQueryHandler<GetDispatchChanges, DispatchChanges>
{
    private const string Changes = """
        SELECT t.seq AS Seq, t.kind AS Kind, t.channel AS Channel, t.case_id AS CaseId, c.number AS Number, c.year AS Year,
               t.correlation AS Correlation, t.actor AS Actor, t.occurred_at AS OccurredAt
        FROM timeline_events t LEFT JOIN cases c ON c.id = t.case_id
        WHERE t.seq > @After
        ORDER BY t.seq 
        """;

    private sealed record Row
    {
        public long Seq { get; init; }
        public string Kind { get; init; } = "";
        public string Channel { get; init; } = "";
        public Guid? CaseId { get; init; }
        public long? Number { get; init; }
        public long? Year { get; init; }
        public string? Correlation { get; init; }
        public string Actor { get; init; } = "";
        public long OccurredAt { get; init; }
    }

    /// <summary>
    /// What changes the queue: anything about a case (every channel's intake, the lifecycle, escalations, notices),
    /// a phone call or phone request, a notification. A citizen's record, revenue imports or staff accounts do not.
    /// </summary>
    public static bool ConcernsQueue(string kind, Guid? caseId) =>
        caseId is not null || kind.StartsWith("ivr.", StringComparison.Ordinal) || kind.StartsWith("phone.", StringComparison.Ordinal)
        || kind.StartsWith("notification.", StringComparison.Ordinal);

    public async ValueTask<DispatchChanges> Handle(GetDispatchChanges query, CancellationToken ct)
    {
        var rows = await uow.QueryAsync<Row>(Changes + uow.Dialect.LimitClause, new { query.After, Limit = Math.Clamp(query.Limit, 1, 1000) }, ct);
        var changes = rows.Where(r => ConcernsQueue(r.Kind, r.CaseId))
            .Select(r => new DispatchChange(r.Seq, r.Kind, r.Channel, r.CaseId, r.Number is { } n ? $"{n}/{r.Year}" : null,
                r.Kind.StartsWith("ivr.", StringComparison.Ordinal) || r.Kind.StartsWith("phone.", StringComparison.Ordinal) ? r.Correlation : null,
                r.Actor, Calendar.FromMs(r.OccurredAt)))
            .ToList();
        return new DispatchChanges(changes, rows.Count > 0 ? rows[^1].Seq : query.After);
    }
}

public sealed class GetLatestTimelineSeqHandler(UnitOfWork uow) : IQueryHandler<GetLatestTimelineSeq, long>
{
    private const string Latest = "SELECT COALESCE(MAX(seq), 0) FROM timeline_events";

    public async ValueTask<long> Handle(GetLatestTimelineSeq query, CancellationToken ct) =>
        await uow.ExecuteScalarAsync<long>(Latest, null, ct);
}
