using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;

namespace CitizenCrm.Core.Cases;

/// <summary>Loading, updating and recording changes of one case, shared by the lifecycle commands.</summary>
internal static class CaseStore
{
    private const string ById = "SELECT " + CaseRow.Columns + CaseRow.From + "WHERE c.id = @Id";

    public static async Task<CaseRow> LoadAsync(UnitOfWork uow, Guid id, CancellationToken ct) =>
        await uow.QuerySingleOrDefaultAsync<CaseRow>(ById, new { Id = id }, ct) ?? throw new NotFoundException("case", id);

    /// <summary>Runs an UPDATE guarded by "WHERE id = @Id AND version = @Version" and insists it changed the one row.</summary>
    public static async Task UpdateAsync(UnitOfWork uow, string sql, object param, CancellationToken ct)
    {
        if (await uow.ExecuteAsync(sql, param, ct) != 1) throw ChangedMeanwhile();
    }

    public static ConflictException ChangedMeanwhile() =>
        new("Someone else changed this case a moment ago. Reload it and try again.", "Changed meanwhile");

    /// <summary>One timeline event for a change of this case, on the case's history and, for a citizen, on their timeline.</summary>
    public static Task<TimelineEvent> RecordAsync(Timeline.Timeline timeline, CaseRow c, string kind, string summary, object? payload,
        CancellationToken ct, string channel = Channels.Desk) =>
        timeline.AppendAsync(new TimelineEntry
        {
            Kind = kind,
            Channel = channel,
            Summary = summary,
            CitizenId = c.CitizenId,
            CaseId = c.Id,
            Payload = payload,
        }, ct);

    public static string KindName(string kind) => kind switch
    {
        CaseKinds.Petition => "Petition",
        CaseKinds.InformationRequest => "Information request",
        _ => "Service request",
    };

    /// <summary>"a petition", "an information request", "a service request", for sentences.</summary>
    public static string AKind(string kind) => (kind == CaseKinds.InformationRequest ? "an " : "a ") + KindName(kind).ToLowerInvariant();
}
