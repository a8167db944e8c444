using System.Text.Json.Serialization;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Phone;

public sealed record CallerIdentity(Guid CitizenId, string FirstName, string LastName, string MaskedNationalId, string PreferredLanguage);

public sealed record RecentEvent(DateTimeOffset OccurredAt, string Channel, string Kind, string Summary);

/// <summary>A caller waiting for an operator: the screen pop. Identity only when the caller passed CNP + PIN.</summary>
public sealed record WaitingCaller(string CallSid, string CallerMasked, string Language, string Reason, DateTimeOffset WaitingSince,
    int WaitingSeconds, CallerIdentity? Identity, IReadOnlyList<RecentEvent> RecentTimeline);

public sealed record PhoneRequestView(Guid Id, string Kind, string Reason, string CallSid, string CallerMasked, string? CallbackNumber,
    string Language, string? RecordingUrl, int? RecordingSeconds, DateTimeOffset CreatedAt, CallerIdentity? Identity);

/// <summary>
/// Every caller waiting now (as many as there are lines; they leave by themselves), and one page of the open callbacks
/// and messages, which pile up: <see cref="RequestsTotal"/> says how many are open, <see cref="NextCursor"/> gives the next page.
/// </summary>
public sealed record PhoneQueue(IReadOnlyList<WaitingCaller> Waiting, IReadOnlyList<PhoneRequestView> Requests, long RequestsTotal, string? NextCursor)
    : ICitizenDataResult, DataProtection.Masking.IMaskable<PhoneQueue>
{
    /// <summary>The callback number stays masked until the dispatcher who calls back asks for it (?reveal=true).</summary>
    public PhoneQueue Masked() => this with
    {
        Requests = Requests.Select(r => r with { CallbackNumber = DataProtection.Masking.PersonalNumbers.Phone(r.CallbackNumber) }).ToList(),
    };

    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown =>
        Waiting.Select(w => w.Identity?.CitizenId).Concat(Requests.Select(r => r.Identity?.CitizenId)).OfType<Guid>();
}

/// <summary>
/// What the dispatchers have to handle: callers waiting in the queue, and open callbacks and messages, oldest first,
/// paged by (created_at, id).
/// </summary>
public sealed record GetPhoneQueue(int? Limit = null, string? Cursor = null) : IPersonalDataQuery<PhoneQueue>, IValidatable
{
    internal const string CursorName = "phone-requests";

    public void Validate(Validation v)
    {
        Paging.ValidateLimit(v, Limit);
        After(v);
    }

    /// <summary>The (created_at, id) of the last request already shown.</summary>
    internal (long CreatedAt, Guid Id)? After(Validation v)
    {
        if (Paging.Decode(v, Cursor, CursorName, 2) is not { } key) return null;
        if (long.TryParse(key[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var at)
            && Guid.TryParse(key[1], out var id)) return (at, id);
        Paging.Refuse(v);
        return null;
    }
}

public sealed class GetPhoneQueueHandler(UnitOfWork uow, TimeProvider clock) : IQueryHandler<GetPhoneQueue, PhoneQueue>
{
    private const string Waiting = """
        SELECT k.call_sid AS CallSid, k.caller_masked AS CallerMasked, k.language AS Language, k.wait_reason AS Reason,
               k.waiting_since AS WaitingSince, k.citizen_id AS CitizenId
        FROM ivr_calls k WHERE k.status = 'waiting' ORDER BY k.waiting_since
        """;
    private const string Requests = """
        SELECT id AS Id, kind AS Kind, reason AS Reason, call_sid AS CallSid, caller_masked AS CallerMasked, caller_number AS CallerNumber,
               language AS Language, recording_url AS RecordingUrl, recording_seconds AS RecordingSeconds, created_at AS CreatedAt, citizen_id AS CitizenId
        FROM phone_requests WHERE handled_at IS NULL
        """;
    // (created_at, id) > (@AfterAt, @AfterId), spelt out for SQL Server.
    private const string AfterCursor = " AND (created_at > @AfterAt OR (created_at = @AfterAt AND id > @AfterId))";
    private const string OpenRequests = "SELECT COUNT(*) FROM phone_requests WHERE handled_at IS NULL";
    private const string Citizen = """
        SELECT id AS Id, first_name AS FirstName, last_name AS LastName, national_id AS NationalId, preferred_language AS PreferredLanguage
        FROM citizens WHERE id = @Id
        """;
    private const string Recent = "SELECT occurred_at AS OccurredAt, channel AS Channel, kind AS Kind, summary AS Summary FROM timeline WHERE citizen_id = @Id ORDER BY seq DESC ";

    private sealed record WaitingRow
    {
        public string CallSid { get; init; } = "";
        public string CallerMasked { get; init; } = "";
        public string Language { get; init; } = "";
        public string? Reason { get; init; }
        public long? WaitingSince { get; init; }
        public Guid? CitizenId { get; init; }
    }

    private sealed record RequestRow
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public string Reason { get; init; } = "";
        public string CallSid { get; init; } = "";
        public string CallerMasked { get; init; } = "";
        public string? CallerNumber { get; init; }
        public string Language { get; init; } = "";
        public string? RecordingUrl { get; init; }
        public int? RecordingSeconds { get; init; }
        public long CreatedAt { get; init; }
        public Guid? CitizenId { get; init; }
    }

    private sealed record CitizenRow
    {
        public Guid Id { get; init; }
        public string FirstName { get; init; } = "";
        public string LastName { get; init; } = "";
        public string NationalId { get; init; } = "";
        public string PreferredLanguage { get; init; } = "";
    }

    private sealed record EventRow
    {
        public long OccurredAt { get; init; }
        public string Channel { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Summary { get; init; } = "";
    }

    public async ValueTask<PhoneQueue> Handle(GetPhoneQueue query, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var waiting = new List<WaitingCaller>();
        foreach (var w in await uow.QueryAsync<WaitingRow>(Waiting, null, ct))
        {
            var since = Calendar.FromMs(w.WaitingSince ?? now.ToUnixTimeMilliseconds());
            var recent = w.CitizenId is { } id
                ? (await uow.QueryAsync<EventRow>(Recent + uow.Dialect.LimitClause, new { Id = id, Limit = 10 }, ct))
                    .Select(e => new RecentEvent(Calendar.FromMs(e.OccurredAt), e.Channel, e.Kind, e.Summary)).ToList()
                : [];
            waiting.Add(new WaitingCaller(w.CallSid, w.CallerMasked, w.Language, w.Reason ?? "operator", since,
                (int)Math.Max(0, (now - since).TotalSeconds), await IdentityAsync(w.CitizenId, ct), recent));
        }
        var after = query.After(new Validation());
        var take = Paging.Take(query.Limit);
        var rows = await uow.QueryAsync<RequestRow>(Requests + (after is null ? "" : AfterCursor) + " ORDER BY created_at, id " + uow.Dialect.LimitClause,
            new { AfterAt = after?.CreatedAt, AfterId = after?.Id, Limit = take + 1 }, ct);
        var requests = new List<PhoneRequestView>();
        foreach (var r in rows.Take(take))
            requests.Add(new PhoneRequestView(r.Id, r.Kind, r.Reason, r.CallSid, r.CallerMasked, r.CallerNumber, r.Language,
                r.RecordingUrl, r.RecordingSeconds, Calendar.FromMs(r.CreatedAt), await IdentityAsync(r.CitizenId, ct)));
        var last = rows.Count > take ? rows[take - 1] : null;
        return new PhoneQueue(waiting, requests, await uow.ExecuteScalarAsync<long>(OpenRequests, null, ct),
            last is null ? null : Paging.Encode(GetPhoneQueue.CursorName, last.CreatedAt.ToString(System.Globalization.CultureInfo.InvariantCulture), last.Id.ToString()));
    }

    private async Task<CallerIdentity?> IdentityAsync(Guid? citizenId, CancellationToken ct)
    {
        if (citizenId is not { } id) return null;
        var c = await uow.QuerySingleOrDefaultAsync<CitizenRow>(Citizen, new { Id = id }, ct);
        return c is null ? null : new CallerIdentity(c.Id, c.FirstName, c.LastName, Cnp.Mask(c.NationalId), c.PreferredLanguage);
    }
}
