using System.Text.Json.Serialization;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;

namespace CitizenCrm.Core.Dispatch;

/// <summary>
/// A case's priority as dispatchers set it. Stored as 0..3 (cases.priority), so the queue sorts on a number;
/// spoken as words. Every case starts at normal; phone and notification items are normal.
/// </summary>
public static class Priorities
{
    public const string Low = "low", Normal = "normal", High = "high", Urgent = "urgent";
    public static readonly IReadOnlyList<string> All = [Low, Normal, High, Urgent];

    public static int ToNumber(string name) => name switch { Low => 0, High => 2, Urgent => 3, _ => 1 };
    public static string FromNumber(long n) => n switch { 0 => Low, 2 => High, 3 => Urgent, _ => Normal };
}

/// <summary>What an item of the queue is.</summary>
public static class ItemKinds
{
    /// <summary>Open cases, by their kind.</summary>
    public const string Petition = CaseKinds.Petition, InformationRequest = CaseKinds.InformationRequest, ServiceRequest = CaseKinds.ServiceRequest;
    /// <summary>A caller on the line now, waiting for an operator (ivr_calls.status = 'waiting').</summary>
    public const string CallerWaiting = "caller_waiting";
    /// <summary>A callback or a voice message the phone robot took (phone_requests, not yet handled).</summary>
    public const string Callback = "callback", Message = "message";
    /// <summary>A notification to a citizen the outbox gave up on (notifications.status = 'failed').</summary>
    public const string FailedNotification = "failed_notification";

    public static readonly IReadOnlyList<string> All =
        [Petition, InformationRequest, ServiceRequest, CallerWaiting, Callback, Message, FailedNotification];
}

/// <summary>The statuses an item of the queue can be in: an open case's, a waiting caller, an open phone request, a failed notification.</summary>
public static class ItemStatuses
{
    public const string Waiting = "waiting", Open = "open", Failed = "failed";
    public static readonly IReadOnlyList<string> All =
        [CaseStatuses.Registered, CaseStatuses.Assigned, CaseStatuses.InProgress, Waiting, Open, Failed];
}

/// <summary>Channels an item can come from: the timeline's, plus 'sms' for a failed SMS notification.</summary>
public static class ItemChannels
{
    public const string Sms = "sms";
    public static readonly IReadOnlyList<string> All = [.. Channels.All.Order(StringComparer.Ordinal), Sms];
}

/// <summary>
/// One thing waiting for a person. Cases carry their registration number, term and time left, priority, escalation
/// (from the deadline sweep) and version (for claiming without overwriting someone else's change). The party is
/// shown by name only — a citizen's, an organisation's or an unidentified contact's; a caller who has not passed
/// CNP + PIN is shown by the masked number the phone queue shows.
/// </summary>
public sealed record DispatchItem(
    string ItemKind,
    string Id,
    Guid? CaseId,
    string Channel,
    string Status,
    string? RegistrationNumber,
    string? Subject,
    string PartyKind,
    string? PartyName,
    bool Unmatched,
    string? Service,
    string? Department,
    string? AssignedTo,
    DateOnly? DueOn,
    int? DaysLeft,
    bool Overdue,
    string Priority,
    string? Escalation,
    DateTimeOffset ArrivedAt,
    int? Version,
    [property: JsonIgnore] Guid? CitizenId,
    PossibleDuplicate? PossibleDuplicateOf = null,
    IncidentLocation? Location = null);

/// <summary>The open report a map report may repeat (the same service within 50 m and 7 days): for a dispatcher to decide, never merged by itself.</summary>
public sealed record PossibleDuplicate(Guid CaseId, string RegistrationNumber);

/// <summary>Where a reported incident is: WGS84 degrees (none when only an address was given) and the address as the reporter wrote it.</summary>
public sealed record IncidentLocation(double? Latitude, double? Longitude, string? AddressString);

/// <summary>One page of the queue, how many items match in all, and the next page's cursor.</summary>
public sealed record DispatchQueue(DateOnly Today, IReadOnlyList<DispatchItem> Items, long Total, string? NextCursor) : ICitizenDataResult, IPage
{
    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => Items.Where(i => i.CitizenId is not null).Select(i => i.CitizenId!.Value);
}

/// <summary>What a dispatcher's action did to a case: the case as it is now, its priority, and the timeline event that recorded it.</summary>
public sealed record DispatchCaseResult(CaseDetails Case, string Priority, long TimelineSeq) : ICitizenDataResult, DataProtection.Masking.IMaskable<DispatchCaseResult>
{
    public DispatchCaseResult Masked() => this with { Case = Case.Masked() };

    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => Case.CitizensShown;
}

public sealed record BulkAssignResult(IReadOnlyList<DispatchCaseResult> Cases) : ICitizenDataResult, DataProtection.Masking.IMaskable<BulkAssignResult>
{
    public BulkAssignResult Masked() => this with { Cases = Cases.Select(c => c.Masked()).ToList() };

    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => Cases.SelectMany(c => c.CitizensShown);
}

/// <summary>Several cases could not be handled, so none was: each one refused, with the reason.</summary>
public sealed class CasesRefusedException(string detail, IReadOnlyList<RefusedCase> refused) : CrmException("Cases refused", detail)
{
    public IReadOnlyList<RefusedCase> Refused { get; } = refused;
}

public sealed record RefusedCase(Guid CaseId, string? RegistrationNumber, string Reason);

/// <summary>Shared by the dispatchers' actions on a case.</summary>
internal static class DispatchCases
{
    private const string PriorityOf = "SELECT priority FROM cases WHERE id = @Id";

    /// <summary>The version the client saw, if it sent one, must still be the case's: otherwise someone changed it meanwhile.</summary>
    public static void EnsureVersion(CaseRow c, int? expected)
    {
        if (expected is { } v && v != c.Version)
            throw new ConflictException(
                $"Case {c.RegistrationNumber} was changed by someone else since you loaded it (your version {v}, now {c.Version}). Reload the queue and try again.",
                "Changed meanwhile");
    }

    public static async Task<DispatchCaseResult> ResultAsync(UnitOfWork uow, Guid id, long seq, TimeProvider clock, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, id, ct);
        var priority = await uow.ExecuteScalarAsync<long>(PriorityOf, new { Id = id }, ct);
        return new DispatchCaseResult(c.ToDetails(Calendar.Today(clock)), Priorities.FromNumber(priority), seq);
    }

    public static string Username(string? raw) => raw!.Trim().ToLowerInvariant();

    private const string Staff = "SELECT disabled FROM staff_users WHERE username = @Username";

    /// <summary>A staff member work can be given to: exists and is not disabled.</summary>
    public static async Task EnsureAssignableAsync(UnitOfWork uow, string username, CancellationToken ct)
    {
        var disabled = await uow.QuerySingleOrDefaultAsync<bool?>(Staff, new { Username = username }, ct);
        if (disabled is null) throw ValidationFailedException.For("staffUsername", $"There is no staff member '{username}'.");
        if (disabled.Value) throw ValidationFailedException.For("staffUsername", $"The account '{username}' is disabled; give the work to someone else.");
    }
}

/// <summary>Settings of the live stream (section "Dispatch").</summary>
public sealed class DispatchOptions
{
    /// <summary>How often an open stream looks for new timeline events in the database.</summary>
    public int StreamPollMilliseconds { get; set; } = 250;
    /// <summary>A comment line this often keeps proxies from closing an idle stream.</summary>
    public int StreamHeartbeatSeconds { get; set; } = 15;
}
