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

public sealed record PhoneQueue(IReadOnlyList<WaitingCaller> Waiting, IReadOnlyList<PhoneRequestView> Requests) : ICitizenDataResult
{
    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown =>
        Waiting.Select(w => w.Identity?.CitizenId).Concat(Requests.Select(r => r.Identity?.CitizenId)).OfType<Guid>();
}

/// <summary>What the dispatchers have to handle: callers waiting in the queue, and open callbacks and messages (oldest first).</summary>
public sealed record GetPhoneQueue : IPersonalDataQuery<PhoneQueue>;

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
        FROM phone_requests WHERE handled_at IS NULL ORDER BY created_at
        """;
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
        var requests = new List<PhoneRequestView>();
        foreach (var r in await uow.QueryAsync<RequestRow>(Requests, null, ct))
            requests.Add(new PhoneRequestView(r.Id, r.Kind, r.Reason, r.CallSid, r.CallerMasked, r.CallerNumber, r.Language,
                r.RecordingUrl, r.RecordingSeconds, Calendar.FromMs(r.CreatedAt), await IdentityAsync(r.CitizenId, ct)));
        return new PhoneQueue(waiting, requests);
    }

    private async Task<CallerIdentity?> IdentityAsync(Guid? citizenId, CancellationToken ct)
    {
        if (citizenId is not { } id) return null;
        var c = await uow.QuerySingleOrDefaultAsync<CitizenRow>(Citizen, new { Id = id }, ct);
        return c is null ? null : new CallerIdentity(c.Id, c.FirstName, c.LastName, Cnp.Mask(c.NationalId), c.PreferredLanguage);
    }
}
