namespace CitizenCrm.Core.DataProtection.Requests;

/// <summary>
/// A data-subject request as a supervisor reads it: the stored request, the term that runs now, and whether it is late
/// (open after its term; Bucharest calendar days). No personal data: the citizen is named by id only.
/// </summary>
public sealed record DataRequestView(
    Guid Id,
    Guid CitizenId,
    string Kind,
    string Status,
    DateOnly ReceivedOn,
    DateOnly DueOn,
    DateOnly? ExtendedTo,
    string? ExtensionReason,
    DateTimeOffset? ExtensionNotifiedAt,
    DateOnly Term,
    bool Overdue,
    string Channel,
    string RegisteredBy,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? CompletedAt,
    string? CompletedBy,
    string? Outcome,
    int Version)
{
    public static DataRequestView Of(DataSubjectRequest r, DateOnly today) => new(r.Id, r.CitizenId, r.Kind, r.Status, r.ReceivedOn,
        r.DueOn, r.ExtendedTo, r.ExtensionReason, r.ExtensionNotifiedAt, r.Term,
        r.Status == DataSubjectRequestStatuses.Open && today > r.Term, r.Channel, r.RegisteredBy, r.RegisteredAt, r.CompletedAt,
        r.CompletedBy, r.Outcome, r.Version);
}

public static class DataRequestChannels
{
    /// <summary>How a request reaches the city hall (GDPR art. 12(1) asks no form: any of these is a request).</summary>
    public static readonly IReadOnlyList<string> All = ["desk", "email", "post", "web"];
}
