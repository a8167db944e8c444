namespace CitizenCrm.Core.Map.Photos;

// PLACEHOLDER, replaced by the photos work of issue 11 (checks, re-encoding with SkiaSharp, content-addressed storage).
public sealed class ReportPhotos : IReportPhotos
{
    public Task<IReadOnlyList<ReportPhoto>> AddAsync(Guid caseId, IReadOnlyList<PhotoUpload> photos, bool publicAtOnce, CancellationToken ct) =>
        throw new NotSupportedException("Photos are not stored yet.");

    public Task<IReadOnlyList<ReportPhoto>> ListAsync(Guid caseId, bool publicOnly, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ReportPhoto>>([]);
}
