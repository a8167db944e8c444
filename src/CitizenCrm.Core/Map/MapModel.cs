using CitizenCrm.Core.Cases;

namespace CitizenCrm.Core.Map;

/// <summary>Bound from "Map": the jurisdiction, what becomes public when, and the limits on photos.</summary>
public sealed class MapOptions
{
    /// <summary>Open311's jurisdiction_id: the city's domain. A request naming another jurisdiction is refused.</summary>
    public string JurisdictionId { get; set; } = "apulum.ro";

    /// <summary>
    /// The city's boundary as GeoJSON (a Polygon, a MultiPolygon, or a Feature holding one), WGS84 longitude/latitude.
    /// Empty: <see cref="MapBoundary.AlbaIulia"/>. A report outside it is refused.
    /// </summary>
    public string? Boundary { get; set; }

    /// <summary>The report's text and place go on the public map at once (true), or after a dispatcher's review.</summary>
    public bool TextPublicAtOnce { get; set; } = true;

    /// <summary>Photos go on the public map at once, or after review (the default: a photo may show a face or a plate).</summary>
    public bool PhotosPublicAtOnce { get; set; }

    public double DuplicateRadiusMetres { get; set; } = 50;
    public int DuplicateDays { get; set; } = 7;

    public int MaxPhotos { get; set; } = 5;
    public long MaxPhotoBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Width × height read from the header before decoding: a 50 000 × 50 000 "pixel bomb" is a few KB on the wire.</summary>
    public long MaxPhotoPixels { get; set; } = 40_000_000;

    public int MaxMediaLinks { get; set; } = 5;
}

/// <summary>Where a report came from: an Open311 app (with its key) or the city's own map page (the public intake).</summary>
public static class ReportSources
{
    public const string Open311 = "open311", MapPage = "map_page";
}

/// <summary>
/// Open311 knows two statuses. A report is open while the city hall still owes the work (registered, assigned, in
/// progress) and closed once answered, closed, rejected, forwarded to another authority, joined to another case or filed.
/// </summary>
public static class Open311Statuses
{
    public const string Open = "open", Closed = "closed";

    public static string Of(string caseStatus) => CaseStatuses.Open.Contains(caseStatus) ? Open : Closed;
}

/// <summary>A photo as it arrived: bytes only; its type is read from the bytes, never from the name.</summary>
public sealed record PhotoUpload(byte[] Content, string? FileName);

/// <summary>A stored photo of a report, as the map shows it (no file name, no metadata: it was re-encoded).</summary>
public sealed record ReportPhoto(Guid Id, string Url, string ThumbnailUrl, int Width, int Height, bool Public);

/// <summary>
/// The photos of reports. <see cref="AddAsync"/> runs inside the reporting command's unit of work: it checks each photo
/// (type by its bytes, size, pixel count from the header), strips it by re-encoding, stores it content-addressed and
/// durably, and refuses the whole report with a ValidationFailedException on field "media" when one photo is refused,
/// so that nothing is half-written. Files of a report that rolls back leave no orphan.
/// </summary>
public interface IReportPhotos
{
    Task<IReadOnlyList<ReportPhoto>> AddAsync(Guid caseId, IReadOnlyList<PhotoUpload> photos, bool publicAtOnce, CancellationToken ct);

    /// <summary>
    /// Optional, called by an endpoint in the same scope BEFORE sending the reporting command: checks and re-encodes the
    /// photos outside the command's transaction (up to a second of CPU per photo that should not hold the database's
    /// write lock) and refuses a bad one early with the same "media" error. <see cref="AddAsync"/> then reuses the work.
    /// </summary>
    Task PrepareAsync(IReadOnlyList<PhotoUpload> photos, CancellationToken ct) => Task.CompletedTask;

    Task<IReadOnlyList<ReportPhoto>> ListAsync(Guid caseId, bool publicOnly, CancellationToken ct);
}
