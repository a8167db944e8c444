using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.Map.Photos;

/// <summary>Where a photo is served: the same address for the public and for staff (the server decides who may see it).</summary>
public static class PhotoUrls
{
    public static string Picture(Guid id) => $"/media/photos/{id}";
    public static string Thumbnail(Guid id) => $"/media/photos/{id}/thumbnail";
}

/// <summary>
/// The photos of map reports (see <see cref="IReportPhotos"/>). Every photo of a report is checked and re-encoded in
/// memory first (<see cref="PhotoImages"/>), so one bad photo refuses the whole report before any file is written;
/// then each picture and thumbnail is written durably and its row inserted in the reporting command's transaction.
/// The files this scope wrote stay held until the scope ends; then any file no committed row names is removed
/// (<see cref="PhotoStore"/>), so a report whose transaction fails after its photos leaves no orphan.
/// </summary>
public sealed class ReportPhotos(UnitOfWork uow, PhotoStore store, RequestContext context, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<MapOptions> options) : IReportPhotos, IAsyncDisposable, IDisposable
{
    /// <summary>A photo is public when published, not hidden, and its report is public and not hidden.</summary>
    internal const string PublicCondition =
        "p.published_at IS NOT NULL AND p.hidden_at IS NULL AND r.public_text = 1 AND r.hidden_at IS NULL";

    private const string Report = "SELECT public_text AS PublicText, hidden_at AS HiddenAt FROM map_reports WHERE case_id = @CaseId";
    private const string Existing = "SELECT sha256 AS Sha256, position AS Position FROM case_photos WHERE case_id = @CaseId";
    private const string Insert = """
        INSERT INTO case_photos (id, case_id, position, sha256, content_type, width, height, size_bytes,
                                 thumbnail_sha256, thumbnail_width, thumbnail_height, thumbnail_size_bytes,
                                 original_type, original_size_bytes, published_at, published_by, created_at)
        VALUES (@Id, @CaseId, @Position, @Sha256, @ContentType, @Width, @Height, @SizeBytes,
                @ThumbnailSha256, @ThumbnailWidth, @ThumbnailHeight, @ThumbnailSizeBytes,
                @OriginalType, @OriginalSizeBytes, @PublishedAt, @PublishedBy, @Now)
        """;
    private const string List = $"""
        SELECT p.id AS Id, p.width AS Width, p.height AS Height, CASE WHEN {PublicCondition} THEN 1 ELSE 0 END AS Public
        FROM case_photos p JOIN map_reports r ON r.case_id = p.case_id
        WHERE p.case_id = @CaseId
        ORDER BY p.position
        """;

    private sealed record ReportRow
    {
        public long PublicText { get; init; }
        public long? HiddenAt { get; init; }
    }

    private sealed record ExistingRow
    {
        public string Sha256 { get; init; } = "";
        public long Position { get; init; }
    }

    private sealed record ListRow
    {
        public Guid Id { get; init; }
        public long Width { get; init; }
        public long Height { get; init; }
        public long Public { get; init; }
    }

    private readonly List<string> _held = [];

    private readonly Dictionary<byte[], PreparedPhoto> _prepared = new(ReferenceEqualityComparer.Instance);

    public Task PrepareAsync(IReadOnlyList<PhotoUpload> photos, CancellationToken ct)
    {
        Prepare(photos);
        return Task.CompletedTask;
    }

    /// <summary>Every photo checked and re-encoded (or taken from an earlier <see cref="PrepareAsync"/>), or all refusals at once.</summary>
    private List<PreparedPhoto> Prepare(IReadOnlyList<PhotoUpload> photos)
    {
        var o = options.Value;
        if (photos.Count > o.MaxPhotos) // as ReportIncident says it; checked here too so that PrepareAsync decodes no more than that
            throw ValidationFailedException.For("media", $"Send at most {o.MaxPhotos} photos with one report.");
        var v = new Validation();
        var prepared = new List<PreparedPhoto>();
        for (var i = 0; i < photos.Count; i++)
        {
            var content = photos[i].Content ?? [];
            try
            {
                if (!_prepared.TryGetValue(content, out var photo))
                    _prepared[content] = photo = PhotoImages.Prepare(content, o.MaxPhotoBytes, o.MaxPhotoPixels);
                prepared.Add(photo);
            }
            catch (PhotoRefusedException refused)
            {
                v.Add("media", $"Photo {i + 1}{Named(photos[i].FileName)} was refused: {refused.Message}");
            }
        }
        v.ThrowIfInvalid();
        return prepared;
    }

    public async Task<IReadOnlyList<ReportPhoto>> AddAsync(Guid caseId, IReadOnlyList<PhotoUpload> photos, bool publicAtOnce, CancellationToken ct)
    {
        var prepared = Prepare(photos); // nothing written yet: one refused photo refuses the whole report

        var report = await uow.QuerySingleOrDefaultAsync<ReportRow>(Report, new { CaseId = caseId }, ct);
        var existing = await uow.QueryAsync<ExistingRow>(Existing, new { CaseId = caseId }, ct);
        var seen = existing.Select(e => e.Sha256).ToHashSet(StringComparer.Ordinal);
        var position = existing.Count == 0 ? 0 : existing.Max(e => e.Position);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var reportPublic = report is { PublicText: 1, HiddenAt: null };
        var stored = new List<ReportPhoto>();
        foreach (var photo in prepared)
        {
            if (!seen.Add(photo.Picture.Sha256)) continue; // the same picture twice in one report is one photo
            foreach (var picture in new[] { photo.Picture, photo.Thumbnail })
            {
                _held.Add(picture.Sha256); // before the write: released (and removed if unreferenced) when the scope ends
                await store.HoldAndWriteAsync(picture, ct);
            }
            var id = Guid.NewGuid();
            await uow.ExecuteAsync(Insert, new
            {
                Id = id, CaseId = caseId, Position = ++position, photo.Picture.Sha256, ContentType = PhotoImages.Jpeg,
                photo.Picture.Width, photo.Picture.Height, SizeBytes = photo.Picture.Bytes.Length,
                ThumbnailSha256 = photo.Thumbnail.Sha256, ThumbnailWidth = photo.Thumbnail.Width, ThumbnailHeight = photo.Thumbnail.Height,
                ThumbnailSizeBytes = photo.Thumbnail.Bytes.Length, photo.OriginalType, OriginalSizeBytes = photo.OriginalSize,
                PublishedAt = publicAtOnce ? now : (long?)null, PublishedBy = publicAtOnce ? context.Actor : null, Now = now,
            }, ct);
            stored.Add(new ReportPhoto(id, PhotoUrls.Picture(id), PhotoUrls.Thumbnail(id), photo.Picture.Width, photo.Picture.Height,
                publicAtOnce && reportPublic));
        }
        return stored;
    }

    public async Task<IReadOnlyList<ReportPhoto>> ListAsync(Guid caseId, bool publicOnly, CancellationToken ct) =>
        (await uow.QueryAsync<ListRow>(List, new { CaseId = caseId }, ct))
            .Where(r => !publicOnly || r.Public == 1)
            .Select(r => new ReportPhoto(r.Id, PhotoUrls.Picture(r.Id), PhotoUrls.Thumbnail(r.Id), (int)r.Width, (int)r.Height, r.Public == 1))
            .ToList();

    private static string Named(string? fileName)
    {
        var name = Path.GetFileName(fileName?.Trim() ?? "");
        if (name.Length == 0) return "";
        return $" ({(name.Length <= 60 ? name : name[..60] + "…")})";
    }

    public async ValueTask DisposeAsync()
    {
        if (_held.Count == 0) return;
        var held = _held.ToArray();
        _held.Clear();
        await store.ReleaseAsync(held);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
