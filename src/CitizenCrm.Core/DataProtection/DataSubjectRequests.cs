using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.DataProtection;

public static class DataSubjectRequestKinds
{
    /// <summary>A copy of everything held about the citizen (GDPR art. 15) in a portable form (art. 20).</summary>
    public const string Access = "access";
    /// <summary>Erasure where no law requires keeping the data (GDPR art. 17).</summary>
    public const string Erasure = "erasure";
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Access, Erasure };
}

public static class DataSubjectRequestStatuses
{
    public const string Open = "open", Completed = "completed", Refused = "refused";
}

/// <summary>A citizen's request about their own data, with its legal term.</summary>
public sealed record DataSubjectRequest(
    Guid Id,
    Guid CitizenId,
    string Kind,
    string Status,
    DateOnly ReceivedOn,
    DateOnly DueOn,
    DateOnly? ExtendedTo,
    string? ExtensionReason,
    DateTimeOffset? ExtensionNotifiedAt,
    string Channel,
    string RegisteredBy,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? CompletedAt,
    string? CompletedBy,
    string? Outcome,
    int Version)
{
    /// <summary>The term that runs now: the extended one once extended.</summary>
    public DateOnly Term => ExtendedTo ?? DueOn;
}

/// <summary>
/// The one place data_subject_requests rows are read and written (registered, extended, completed, refused), shared by the
/// requests, the export and the erasure.
/// GDPR art. 12(3): the controller answers "without undue delay and in any event within one month of receipt", and may
/// extend that "by two further months where necessary", telling the data subject within the first month, with reasons.
/// A month is counted calendar-wise: from 31 January the term is the last day of February (as DateOnly.AddMonths does).
/// </summary>
public static class DataSubjectRequestStore
{
    public const int TermMonths = 1, MaxExtensionMonths = 2;

    public const string Columns = """
        id AS Id, citizen_id AS CitizenId, kind AS Kind, status AS Status, received_on AS ReceivedOn, due_on AS DueOn,
        extended_to AS ExtendedTo, extension_reason AS ExtensionReason, extension_notified_at AS ExtensionNotifiedAt,
        channel AS Channel, registered_by AS RegisteredBy, registered_at AS RegisteredAt, completed_at AS CompletedAt,
        completed_by AS CompletedBy, outcome AS Outcome, version AS Version
        """;

    private const string Insert = """
        INSERT INTO data_subject_requests (id, citizen_id, kind, status, received_on, due_on, channel, registered_by, registered_at, updated_at)
        VALUES (@Id, @CitizenId, @Kind, 'open', @ReceivedOn, @DueOn, @Channel, @Actor, @Now, @Now)
        """;

    private const string Finish = """
        UPDATE data_subject_requests SET status = @Status, completed_at = @Now, completed_by = @Actor, outcome = @Outcome,
            updated_at = @Now, version = version + 1
        WHERE id = @Id AND status = 'open'
        """;

    public static DateOnly DueOn(DateOnly receivedOn) => receivedOn.AddMonths(TermMonths);

    /// <summary>Registers an open request received on <paramref name="receivedOn"/>; returns it.</summary>
    public static async Task<DataSubjectRequest> RegisterAsync(UnitOfWork uow, Guid citizenId, string kind, DateOnly receivedOn,
        string channel, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        await uow.ExecuteAsync(Insert, new
        {
            Id = id, CitizenId = citizenId, Kind = kind, ReceivedOn = receivedOn, DueOn = DueOn(receivedOn), Channel = channel,
            Actor = actor, Now = now.ToUnixTimeMilliseconds(),
        }, ct);
        return (await FindAsync(uow, id, ct))!;
    }

    public static async Task<DataSubjectRequest?> FindAsync(UnitOfWork uow, Guid id, CancellationToken ct) =>
        (await uow.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM data_subject_requests WHERE id = @Id", new { Id = id }, ct))?.ToRequest();

    public static async Task<DataSubjectRequest> LoadAsync(UnitOfWork uow, Guid id, CancellationToken ct) =>
        await FindAsync(uow, id, ct) ?? throw new NotFoundException("data-subject request", id);

    /// <summary>Closes an open request as completed or refused, with what was done (no personal data in it).</summary>
    public static async Task FinishAsync(UnitOfWork uow, Guid id, string status, string outcome, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (await uow.ExecuteAsync(Finish, new { Id = id, Status = status, Outcome = outcome, Actor = actor, Now = now.ToUnixTimeMilliseconds() }, ct) == 0)
            throw new ConflictException($"Data-subject request {id} is no longer open: it was completed or refused already.", "Request already closed");
    }

    private const string Extend = """
        UPDATE data_subject_requests SET extended_to = @ExtendedTo, extension_reason = @Reason, extension_notified_at = @NotifiedAt,
            updated_at = @Now, version = version + 1
        WHERE id = @Id AND status = 'open' AND extended_to IS NULL
        """;

    /// <summary>
    /// The term extended once (GDPR art. 12(3)): <paramref name="months"/> further months counted from the receipt, so a
    /// request received on 31 January and extended by two runs to 30 April. <paramref name="notifiedAt"/> is when the
    /// notice to the citizen was queued, or null when they must be told by post.
    /// </summary>
    public static async Task ExtendAsync(UnitOfWork uow, DataSubjectRequest request, int months, string reason, DateTimeOffset? notifiedAt,
        DateTimeOffset now, CancellationToken ct)
    {
        if (await uow.ExecuteAsync(Extend, new
            {
                request.Id, ExtendedTo = ExtendedTo(request.ReceivedOn, months), Reason = reason,
                NotifiedAt = notifiedAt?.ToUnixTimeMilliseconds(), Now = now.ToUnixTimeMilliseconds(),
            }, ct) == 0)
            throw new ConflictException($"Data-subject request {request.Id} was extended, completed or refused meanwhile; read it again.", "Request changed");
    }

    public static DateOnly ExtendedTo(DateOnly receivedOn, int months) => receivedOn.AddMonths(TermMonths + months);

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public Guid CitizenId { get; init; }
        public string Kind { get; init; } = "";
        public string Status { get; init; } = "";
        public DateOnly ReceivedOn { get; init; }
        public DateOnly DueOn { get; init; }
        public DateOnly? ExtendedTo { get; init; }
        public string? ExtensionReason { get; init; }
        public long? ExtensionNotifiedAt { get; init; }
        public string Channel { get; init; } = "";
        public string RegisteredBy { get; init; } = "";
        public long RegisteredAt { get; init; }
        public long? CompletedAt { get; init; }
        public string? CompletedBy { get; init; }
        public string? Outcome { get; init; }
        public long Version { get; init; }

        public DataSubjectRequest ToRequest() => new(Id, CitizenId, Kind, Status, ReceivedOn, DueOn, ExtendedTo, ExtensionReason,
            ExtensionNotifiedAt is { } n ? Calendar.FromMs(n) : null, Channel, RegisteredBy, Calendar.FromMs(RegisteredAt),
            CompletedAt is { } c ? Calendar.FromMs(c) : null, CompletedBy, Outcome, (int)Version);
    }
}
