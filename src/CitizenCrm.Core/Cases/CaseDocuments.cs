using System.Security.Cryptography;
using CitizenCrm.Core.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Cases;

/// <summary>Why an uploaded document was refused: 413 (too large) or 415 (not an allowed type).</summary>
public sealed class DocumentRefusedException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
}

/// <summary>An uploaded document checked and hashed in memory; nothing is on disk yet.</summary>
public sealed record DocumentUpload(string Sha256, string ContentType, long SizeBytes)
{
    /// <summary>The bytes; left out of the idempotency hash and of logs (the hash already names them).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public byte[] Bytes { get; init; } = [];
}

/// <summary>
/// Answer documents on disk, under {Database:FilesFolder, else DataFolder}/documents/{first two hex}/{sha256} (see <see cref="DurableFiles"/> for
/// how they are written durably and why no name reaches the path). Only a short allow-list of types is kept, and the
/// bytes must look like the type claimed.
/// <para>
/// A file is written only once its case has accepted it, inside the attaching transaction and before it commits.
/// If the transaction then fails, the endpoint removes the file unless a committed row refers to the same content.
/// What a crash leaves between the two steps is swept away at the next start.
/// </para>
/// </summary>
public sealed class DocumentStore(IOptions<DatabaseOptions> database, IOptions<RegistryOptions> registry, IDatabase db)
{
    public const string Pdf = "application/pdf", Png = "image/png", Jpeg = "image/jpeg",
        Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Odt = "application/vnd.oasis.opendocument.text";

    public static readonly IReadOnlySet<string> AllowedTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Pdf, Png, Jpeg, Docx, Odt };

    /// <summary>Temporary and unreferenced files younger than this are left alone by the sweep: another node may be writing them.</summary>
    public static readonly TimeSpan SweepGrace = DurableFiles.SweepGrace;

    private const string Referenced = "SELECT COUNT(*) FROM case_documents WHERE sha256 = @Sha256";
    private const string AllReferenced = "SELECT DISTINCT sha256 FROM case_documents";

    private readonly DurableFiles _files = new(() => database.Value.DocumentsFolder, db, Referenced, AllReferenced);

    // One attach at a time in this process: the clean-up after a failed commit must not remove a file that a
    // concurrent attach of the same content is about to commit. Documents arrive a few a minute, so this costs nothing.
    private readonly SemaphoreSlim _attaching = new(1, 1);

    public long MaxBytes => registry.Value.MaxDocumentBytes;

    public string TooLargeDetail => "A document may be at most " +
        (MaxBytes >= 1024 * 1024 ? $"{MaxBytes / (1024 * 1024)} MB." : $"{Math.Max(1, MaxBytes / 1024)} KB.");

    /// <summary>Reads and checks an upload in memory (type, size, magic bytes). Writes nothing.</summary>
    public async Task<DocumentUpload> ReadAsync(Stream body, string? contentType, CancellationToken ct)
    {
        var type = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is null || !AllowedTypes.Contains(type))
            throw new DocumentRefusedException(415, "Document type not accepted",
                "Attach a PDF, PNG, JPEG, DOCX or ODT document, sent with its Content-Type (e.g. application/pdf).");

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                throw new DocumentRefusedException(413, "Document too large", TooLargeDetail);
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.ToArray();
        if (bytes.Length == 0) throw new DocumentRefusedException(415, "Empty document", "The document is empty.");
        if (!LooksLike(type, bytes))
            throw new DocumentRefusedException(415, "Document type not accepted", $"The file's content does not match its type ({type}); check the file and its Content-Type.");

        return new DocumentUpload(Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), type, bytes.Length) { Bytes = bytes };
    }

    /// <summary>
    /// Runs the attaching command with this process's attach lock held; if it fails (the case refuses, the commit
    /// fails), removes the file it may have written unless a committed row refers to the same content.
    /// </summary>
    public async Task<T> AttachAsync<T>(DocumentUpload upload, Func<Task<T>> attach, CancellationToken ct)
    {
        await _attaching.WaitAsync(ct);
        try
        {
            return await attach();
        }
        catch
        {
            await RemoveIfUnreferencedAsync(upload.Sha256);
            throw;
        }
        finally
        {
            _attaching.Release();
        }
    }

    /// <summary>
    /// <see cref="AttachAsync{T}"/> for a command that attaches several documents in one transaction (an e-mail's
    /// attachments, a web request's): one hold of the lock, and on failure each file no committed row refers to is removed.
    /// </summary>
    public async Task<T> AttachAllAsync<T>(IReadOnlyCollection<DocumentUpload> uploads, Func<Task<T>> attach, CancellationToken ct)
    {
        await _attaching.WaitAsync(ct);
        try
        {
            return await attach();
        }
        catch
        {
            foreach (var sha256 in uploads.Select(u => u.Sha256).Distinct()) await RemoveIfUnreferencedAsync(sha256);
            throw;
        }
        finally
        {
            _attaching.Release();
        }
    }

    /// <summary>Writes the file durably (temp name, fsync, rename, fsync of the folder). Called by the attaching handler, before its row.</summary>
    public Task WriteDurablyAsync(DocumentUpload upload, CancellationToken ct) => _files.WriteAsync(upload.Sha256, upload.Bytes, ct);

    private Task RemoveIfUnreferencedAsync(string sha256) => _files.RemoveIfUnreferencedAsync(sha256);

    /// <summary>
    /// After an erasure commits (GDPR art. 17): removes the files its rows named, each unless a committed row still names
    /// the same content; under the attach lock, so an attach of the same content that is about to commit keeps its file.
    /// </summary>
    public async Task<int> RemoveReleasedAsync(IEnumerable<string> hashes, CancellationToken ct)
    {
        await _attaching.WaitAsync(ct);
        try
        {
            var removed = 0;
            foreach (var sha256 in hashes.Distinct(StringComparer.Ordinal))
                if (await _files.RemoveIfUnreferencedAsync(sha256)) removed++;
            return removed;
        }
        finally
        {
            _attaching.Release();
        }
    }

    /// <summary>
    /// At start: removes temporary files, and files no row refers to (a crash between the file and its commit),
    /// once older than <see cref="SweepGrace"/>. Returns how many files were removed.
    /// </summary>
    public Task<int> SweepAsync(CancellationToken ct) => _files.SweepAsync(ct);

    public Stream? Open(string sha256) => _files.Open(sha256);

    /// <summary>Magic bytes: %PDF, the PNG signature, JPEG's FF D8 FF, and a ZIP (PK\x03\x04) for DOCX and ODT.</summary>
    private static bool LooksLike(string type, byte[] b) => type switch
    {
        Pdf => b.AsSpan().StartsWith("%PDF-"u8),
        Png => b.AsSpan().StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }),
        Jpeg => b.AsSpan().StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }),
        Docx or Odt => b.AsSpan().StartsWith(new byte[] { 0x50, 0x4B, 0x03, 0x04 }),
        _ => false,
    };
}
