using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Map.Photos;

/// <summary>Where a photo stands with the public: waiting for a dispatcher's review, on the public map, or hidden.</summary>
public static class PhotoStates
{
    public const string Waiting = "waiting_for_review", Published = "published", Hidden = "hidden";
}

/// <summary>A photo as staff see it: its moderation state and who decided it, and whether the public sees it now.</summary>
public sealed record StaffReportPhoto(
    Guid Id, Guid CaseId, int Position, string Url, string ThumbnailUrl, int Width, int Height, long SizeBytes,
    int ThumbnailWidth, int ThumbnailHeight, string OriginalType, long OriginalSizeBytes, string State, bool Public,
    DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt, string? PublishedBy,
    DateTimeOffset? HiddenAt, string? HiddenBy, string? HiddenReason);

/// <summary>A report's photos for staff, with whether the report itself is public (a photo is public only if its report is).</summary>
public sealed record ReportPhotosForStaff(Guid CaseId, string RegistrationNumber, bool ReportPublic, IReadOnlyList<StaffReportPhoto> Photos);

/// <summary>The file to serve for a photo (its picture or thumbnail) and whether anyone may see it.</summary>
public sealed record PhotoFile(Guid Id, string Sha256, string ContentType, bool Public);

internal static class PhotoRows
{
    public const string Columns = $"""
        p.id AS Id, p.case_id AS CaseId, p.position AS Position, p.sha256 AS Sha256, p.thumbnail_sha256 AS ThumbnailSha256,
        p.content_type AS ContentType, p.width AS Width, p.height AS Height, p.size_bytes AS SizeBytes,
        p.thumbnail_width AS ThumbnailWidth, p.thumbnail_height AS ThumbnailHeight, p.original_type AS OriginalType,
        p.original_size_bytes AS OriginalSizeBytes, p.created_at AS CreatedAt, p.published_at AS PublishedAt,
        p.published_by AS PublishedBy, p.hidden_at AS HiddenAt, p.hidden_by AS HiddenBy, p.hidden_reason AS HiddenReason,
        CASE WHEN {ReportPhotos.PublicCondition} THEN 1 ELSE 0 END AS Public
        """;

    public const string One = $"SELECT {Columns} FROM case_photos p JOIN map_reports r ON r.case_id = p.case_id WHERE p.id = @PhotoId AND p.case_id = @CaseId";

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public Guid CaseId { get; init; }
        public long Position { get; init; }
        public string Sha256 { get; init; } = "";
        public string ThumbnailSha256 { get; init; } = "";
        public string ContentType { get; init; } = "";
        public long Width { get; init; }
        public long Height { get; init; }
        public long SizeBytes { get; init; }
        public long ThumbnailWidth { get; init; }
        public long ThumbnailHeight { get; init; }
        public string OriginalType { get; init; } = "";
        public long OriginalSizeBytes { get; init; }
        public long CreatedAt { get; init; }
        public long? PublishedAt { get; init; }
        public string? PublishedBy { get; init; }
        public long? HiddenAt { get; init; }
        public string? HiddenBy { get; init; }
        public string? HiddenReason { get; init; }
        public long Public { get; init; }

        public string State => HiddenAt is not null ? PhotoStates.Hidden : PublishedAt is not null ? PhotoStates.Published : PhotoStates.Waiting;

        public StaffReportPhoto ToStaff() => new(
            Id, CaseId, (int)Position, PhotoUrls.Picture(Id), PhotoUrls.Thumbnail(Id), (int)Width, (int)Height, SizeBytes,
            (int)ThumbnailWidth, (int)ThumbnailHeight, OriginalType, OriginalSizeBytes, State, Public == 1,
            Instant(CreatedAt), PublishedAt is { } p ? Instant(p) : null, PublishedBy,
            HiddenAt is { } h ? Instant(h) : null, HiddenBy, HiddenReason);

        private static DateTimeOffset Instant(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    /// <summary>The photo of this report, or 404 (a photo id under another report's path is not found, not moved).</summary>
    public static async Task<Row> LoadAsync(UnitOfWork uow, Guid caseId, Guid photoId, CancellationToken ct) =>
        await uow.QuerySingleOrDefaultAsync<Row>(One, new { CaseId = caseId, PhotoId = photoId }, ct)
        ?? throw new NotFoundException("photo of this report", photoId);
}

/// <summary>A report's photos with their moderation state, for the dispatchers reviewing them.</summary>
public sealed record ListReportPhotos(Guid CaseId) : IQuery<ReportPhotosForStaff>;

public sealed class ListReportPhotosHandler(UnitOfWork uow) : IQueryHandler<ListReportPhotos, ReportPhotosForStaff>
{
    private const string Report = """
        SELECT CASE WHEN r.public_text = 1 AND r.hidden_at IS NULL THEN 1 ELSE 0 END
        FROM map_reports r WHERE r.case_id = @CaseId
        """;
    private const string All = $"SELECT {PhotoRows.Columns} FROM case_photos p JOIN map_reports r ON r.case_id = p.case_id WHERE p.case_id = @CaseId ORDER BY p.position";

    public async ValueTask<ReportPhotosForStaff> Handle(ListReportPhotos query, CancellationToken ct)
    {
        var isPublic = await uow.QuerySingleOrDefaultAsync<long?>(Report, new { query.CaseId }, ct)
            ?? throw new NotFoundException("map report", query.CaseId);
        var c = await CaseStore.LoadAsync(uow, query.CaseId, ct);
        var rows = await uow.QueryAsync<PhotoRows.Row>(All, new { query.CaseId }, ct);
        return new ReportPhotosForStaff(c.Id, c.RegistrationNumber, isPublic == 1, rows.Select(r => r.ToStaff()).ToList());
    }
}

/// <summary>
/// A dispatcher puts a photo on the public map: one waiting for review, or one hidden earlier (which is shown again,
/// the earlier reason kept on the timeline). Publishing a photo already public changes nothing and records nothing.
/// </summary>
public sealed record PublishReportPhoto(Guid CaseId, Guid PhotoId) : ICommand<StaffReportPhoto>;

public sealed class PublishReportPhotoHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<PublishReportPhoto, StaffReportPhoto>
{
    private const string Publish = """
        UPDATE case_photos SET published_at = @Now, published_by = @Actor, hidden_at = NULL, hidden_by = NULL, hidden_reason = NULL
        WHERE id = @PhotoId
        """;

    public async ValueTask<StaffReportPhoto> Handle(PublishReportPhoto command, CancellationToken ct)
    {
        var photo = await PhotoRows.LoadAsync(uow, command.CaseId, command.PhotoId, ct);
        if (photo.State == PhotoStates.Published) return photo.ToStaff();
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        await uow.ExecuteAsync(Publish, new { command.PhotoId, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), context.Actor }, ct);
        var wasHidden = photo.State == PhotoStates.Hidden;
        await CaseStore.RecordAsync(timeline, c, "case.photo_published",
            $"Photo {photo.Position} of report {c.RegistrationNumber} " + (wasHidden ? "shown again on the public map" : "published on the public map after review"),
            new { photoId = photo.Id, position = photo.Position, wasHidden, previousReason = photo.HiddenReason }, ct);
        return (await PhotoRows.LoadAsync(uow, command.CaseId, command.PhotoId, ct)).ToStaff();
    }
}

/// <summary>
/// A dispatcher hides a photo from the public map and feed, with the reason (a face, a number plate, something
/// offensive, not the reported place). Staff still see it. Hiding a photo already hidden changes nothing.
/// </summary>
public sealed record HideReportPhoto(Guid CaseId, Guid PhotoId, string? Reason) : ICommand<StaffReportPhoto>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("reason", Reason, "The reason for hiding the photo")) v.MaxLength("reason", Reason, 500, "The reason");
    }
}

public sealed class HideReportPhotoHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<HideReportPhoto, StaffReportPhoto>
{
    private const string Hide = "UPDATE case_photos SET hidden_at = @Now, hidden_by = @Actor, hidden_reason = @Reason WHERE id = @PhotoId";

    public async ValueTask<StaffReportPhoto> Handle(HideReportPhoto command, CancellationToken ct)
    {
        var photo = await PhotoRows.LoadAsync(uow, command.CaseId, command.PhotoId, ct);
        if (photo.State == PhotoStates.Hidden) return photo.ToStaff();
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        var reason = command.Reason!.Trim();
        await uow.ExecuteAsync(Hide, new { command.PhotoId, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), context.Actor, Reason = reason }, ct);
        await CaseStore.RecordAsync(timeline, c, "case.photo_hidden",
            $"Photo {photo.Position} of report {c.RegistrationNumber} hidden from the public map: {reason}",
            new { photoId = photo.Id, position = photo.Position, reason }, ct);
        return (await PhotoRows.LoadAsync(uow, command.CaseId, command.PhotoId, ct)).ToStaff();
    }
}

/// <summary>The file behind a photo's address, or null for an unknown id. The endpoint decides who may see it.</summary>
public sealed record GetPhotoFile(Guid PhotoId, bool Thumbnail) : IQuery<PhotoFile?>;

public sealed class GetPhotoFileHandler(UnitOfWork uow) : IQueryHandler<GetPhotoFile, PhotoFile?>
{
    private const string One = $"""
        SELECT p.sha256 AS Sha256, p.thumbnail_sha256 AS ThumbnailSha256, p.content_type AS ContentType,
               CASE WHEN {ReportPhotos.PublicCondition} THEN 1 ELSE 0 END AS Public
        FROM case_photos p JOIN map_reports r ON r.case_id = p.case_id
        WHERE p.id = @PhotoId
        """;

    private sealed record Row
    {
        public string Sha256 { get; init; } = "";
        public string ThumbnailSha256 { get; init; } = "";
        public string ContentType { get; init; } = "";
        public long Public { get; init; }
    }

    public async ValueTask<PhotoFile?> Handle(GetPhotoFile query, CancellationToken ct) =>
        await uow.QuerySingleOrDefaultAsync<Row>(One, new { query.PhotoId }, ct) is { } r
            ? new PhotoFile(query.PhotoId, query.Thumbnail ? r.ThumbnailSha256 : r.Sha256, r.ContentType, r.Public == 1)
            : null;
}
