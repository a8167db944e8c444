using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Map.Moderation;

/// <summary>Where a report stands on the public map after a dispatcher's decision.</summary>
public sealed record MapReportModeration(
    Guid CaseId, string ServiceRequestId, string RegistrationNumber, bool Public, bool Hidden,
    DateTimeOffset? HiddenAt, string? HiddenBy, string? HiddenReason);

/// <summary>
/// A dispatcher takes a report off the public map and the public feeds (Open311 GET, GeoJSON), with the reason — a
/// face, a plate, an insult, a private matter. The case itself goes on as before, and its reporter still hears back.
/// </summary>
public sealed record HideMapReport(Guid CaseId, string? Reason) : ICommand<MapReportModeration>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("reason", Reason, "The reason for hiding the report")) v.MaxLength("reason", Reason, 500, "The reason");
    }
}

/// <summary>A dispatcher puts a hidden report back on the public map.</summary>
public sealed record ShowMapReport(Guid CaseId) : ICommand<MapReportModeration>;

/// <summary>
/// A dispatcher publishes a report that waits for review (Map:TextPublicAtOnce = false): its text and place go on the
/// public map. Its photos are reviewed one by one (…/photos/…).
/// </summary>
public sealed record PublishMapReport(Guid CaseId) : ICommand<MapReportModeration>;

internal static class MapReportStore
{
    private const string Select = """
        SELECT r.case_id AS CaseId, c.year AS Year, c.number AS Number, r.public_text AS PublicText,
               r.hidden_at AS HiddenAt, r.hidden_by AS HiddenBy, r.hidden_reason AS HiddenReason
        FROM map_reports r JOIN cases c ON c.id = r.case_id WHERE r.case_id = @Id
        """;

    internal sealed record Row
    {
        public Guid CaseId { get; init; }
        public long Year { get; init; }
        public long Number { get; init; }
        public long PublicText { get; init; }
        public long? HiddenAt { get; init; }
        public string? HiddenBy { get; init; }
        public string? HiddenReason { get; init; }

        public string Id => ServiceRequestIds.Of((int)Year, (int)Number);
        public string RegistrationNumber => $"{Number}/{Year}";

        public MapReportModeration ToModeration() => new(CaseId, Id, RegistrationNumber, PublicText == 1, HiddenAt is not null,
            HiddenAt is { } at ? Calendar.FromMs(at) : null, HiddenBy, HiddenReason);
    }

    public static async Task<Row> LoadAsync(UnitOfWork uow, Guid caseId, CancellationToken ct) =>
        await uow.QuerySingleOrDefaultAsync<Row>(Select, new { Id = caseId }, ct) ?? throw new NotFoundException("report on the map", caseId);

    /// <summary>Runs a guarded UPDATE; 0 rows means another dispatcher decided first.</summary>
    public static async Task UpdateAsync(UnitOfWork uow, string sql, object param, string conflict, CancellationToken ct)
    {
        if (await uow.ExecuteAsync(sql, param, ct) != 1) throw new ConflictException(conflict, "Changed meanwhile");
    }
}

public sealed class HideMapReportHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<HideMapReport, MapReportModeration>
{
    private const string Hide = """
        UPDATE map_reports SET hidden_at = @Now, hidden_by = @Actor, hidden_reason = @Reason
        WHERE case_id = @Id AND hidden_at IS NULL
        """;

    public async ValueTask<MapReportModeration> Handle(HideMapReport command, CancellationToken ct)
    {
        var report = await MapReportStore.LoadAsync(uow, command.CaseId, ct);
        if (report.HiddenAt is not null)
            throw new ConflictException($"Report {report.RegistrationNumber} is already hidden from the public map (by {report.HiddenBy}: {report.HiddenReason}).", "Already hidden");
        var reason = command.Reason!.Trim();
        await MapReportStore.UpdateAsync(uow, Hide, new { Id = command.CaseId, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), context.Actor, Reason = reason },
            $"Report {report.RegistrationNumber} was hidden a moment ago by someone else.", ct);
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        await CaseStore.RecordAsync(timeline, c, "map.report_hidden", $"Report {c.RegistrationNumber} hidden from the public map: {reason}",
            new { reason }, ct);
        return (await MapReportStore.LoadAsync(uow, command.CaseId, ct)).ToModeration();
    }
}

public sealed class ShowMapReportHandler(UnitOfWork uow, Timeline.Timeline timeline)
    : ICommandHandler<ShowMapReport, MapReportModeration>
{
    private const string Show = "UPDATE map_reports SET hidden_at = NULL, hidden_by = NULL, hidden_reason = NULL WHERE case_id = @Id AND hidden_at IS NOT NULL";

    public async ValueTask<MapReportModeration> Handle(ShowMapReport command, CancellationToken ct)
    {
        var report = await MapReportStore.LoadAsync(uow, command.CaseId, ct);
        if (report.HiddenAt is null)
            throw new ConflictException($"Report {report.RegistrationNumber} is not hidden; there is nothing to show again.", "Not hidden");
        await MapReportStore.UpdateAsync(uow, Show, new { Id = command.CaseId }, $"Report {report.RegistrationNumber} was shown again a moment ago by someone else.", ct);
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        // The earlier reason stays on the timeline (map.report_hidden); the row keeps only the current state.
        await CaseStore.RecordAsync(timeline, c, "map.report_shown",
            $"Report {c.RegistrationNumber} shown again on the public map (hidden earlier by {report.HiddenBy}: {report.HiddenReason})",
            new { hiddenBy = report.HiddenBy, hiddenReason = report.HiddenReason }, ct);
        return (await MapReportStore.LoadAsync(uow, command.CaseId, ct)).ToModeration();
    }
}

public sealed class PublishMapReportHandler(UnitOfWork uow, Timeline.Timeline timeline)
    : ICommandHandler<PublishMapReport, MapReportModeration>
{
    private const string Publish = "UPDATE map_reports SET public_text = 1 WHERE case_id = @Id AND public_text = 0";

    public async ValueTask<MapReportModeration> Handle(PublishMapReport command, CancellationToken ct)
    {
        var report = await MapReportStore.LoadAsync(uow, command.CaseId, ct);
        if (report.PublicText == 1)
            throw new ConflictException($"Report {report.RegistrationNumber} is already on the public map.", "Already public");
        await MapReportStore.UpdateAsync(uow, Publish, new { Id = command.CaseId }, $"Report {report.RegistrationNumber} was published a moment ago by someone else.", ct);
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        var hidden = report.HiddenAt is not null ? " (it stays hidden until shown again)" : "";
        await CaseStore.RecordAsync(timeline, c, "map.report_published", $"Report {c.RegistrationNumber} reviewed and published on the public map{hidden}", null, ct);
        return (await MapReportStore.LoadAsync(uow, command.CaseId, ct)).ToModeration();
    }
}
