using CitizenCrm.Core.Storage;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Map.Photos;

/// <summary>
/// The photo files, under {Database:FilesFolder, else DataFolder}/photos/{first two hex}/{sha256}: pictures and thumbnails alike, named by the
/// hash of their re-encoded bytes (the same picture sent twice is one file). Written durably by <see cref="DurableFiles"/>
/// before the report's row commits.
/// <para>
/// No orphans: every report that uses a file holds it (<see cref="HoldAsync"/>) until its scope ends
/// (<see cref="ReleaseAsync"/>), committed or not. The last holder to let go removes the file unless a committed row
/// names it, so a refused or rolled-back report leaves nothing, and a concurrent report of the same picture that is
/// about to commit never loses its file. What a crash leaves is swept at the next start.
/// </para>
/// </summary>
public sealed class PhotoStore(IOptions<DatabaseOptions> database, IDatabase db)
{
    private const string Referenced = "SELECT COUNT(*) FROM case_photos WHERE sha256 = @Sha256 OR thumbnail_sha256 = @Sha256";
    private const string AllReferenced = "SELECT sha256 FROM case_photos UNION SELECT thumbnail_sha256 FROM case_photos";

    private readonly DurableFiles _files = new(() => database.Value.PhotosFolder, db, Referenced, AllReferenced);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);

    public string Folder => _files.Folder;

    /// <summary>Holds the file against removal and writes it durably unless it is already stored.</summary>
    public async Task HoldAndWriteAsync(EncodedPicture picture, CancellationToken ct)
    {
        await HoldAsync(picture.Sha256, ct);
        await _files.WriteAsync(picture.Sha256, picture.Bytes, ct);
    }

    private async Task HoldAsync(string sha256, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try { _held[sha256] = _held.GetValueOrDefault(sha256) + 1; }
        finally { _gate.Release(); }
    }

    /// <summary>Lets go of the files a scope held; each one nobody holds and no committed row names is removed.</summary>
    public async Task ReleaseAsync(IEnumerable<string> hashes)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            foreach (var sha256 in hashes)
            {
                if (!_held.TryGetValue(sha256, out var count)) continue;
                if (count > 1) { _held[sha256] = count - 1; continue; }
                _held.Remove(sha256);
                await _files.RemoveIfUnreferencedAsync(sha256);
            }
        }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// After an erasure commits (GDPR art. 17): removes the files its rows named, each unless a report being written holds
    /// it or a committed row still names it.
    /// </summary>
    public async Task<int> RemoveReleasedAsync(IEnumerable<string> hashes)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            var removed = 0;
            foreach (var sha256 in hashes.Distinct(StringComparer.Ordinal))
                if (!_held.ContainsKey(sha256) && await _files.RemoveIfUnreferencedAsync(sha256)) removed++;
            return removed;
        }
        finally { _gate.Release(); }
    }

    /// <summary>At start: temporary files and files no row names (a crash before the commit), older than the grace period.</summary>
    public Task<int> SweepAsync(CancellationToken ct) => _files.SweepAsync(ct);

    public Stream? Open(string sha256) => _files.Open(sha256);
}
