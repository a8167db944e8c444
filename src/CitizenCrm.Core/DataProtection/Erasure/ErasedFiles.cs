using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Map.Photos;

namespace CitizenCrm.Core.DataProtection.Erasure;

/// <summary>
/// The files of an erasure go after its transaction commits, never before: a rolled-back erasure must find its documents
/// and photos still there. Each is removed only when no committed row names its hash any more (the stores are
/// content-addressed: the same picture sent by two people is one file). A crash between the commit and this leaves
/// files no row names, which the sweep at the next start removes.
/// </summary>
public static class ErasedFiles
{
    public static async Task<(int Documents, int Photos)> RemoveAsync(CitizenErased erased, DocumentStore documents, PhotoStore photos, CancellationToken ct) =>
        (await documents.RemoveReleasedAsync(erased.DocumentFiles, ct), await photos.RemoveReleasedAsync(erased.PhotoFiles));
}
