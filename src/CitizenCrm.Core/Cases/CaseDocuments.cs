using System.Security.Cryptography;
using CitizenCrm.Core.Storage;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Cases;

/// <summary>Why an uploaded document was refused: 413 (too large) or 415 (not an allowed type).</summary>
public sealed class DocumentRefusedException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
}

public sealed record StoredDocument(string Sha256, string ContentType, long SizeBytes);

/// <summary>
/// Answer documents on disk, under {DataFolder}/documents/{first two hex}/{sha256}: the path comes only from the
/// content's hash, never from the uploaded file name, so no name can reach outside the folder or overwrite
/// another file. Only a short allow-list of types is kept, and the bytes must look like the type claimed.
/// </summary>
public sealed class DocumentStore(IOptions<DatabaseOptions> database, IOptions<RegistryOptions> registry)
{
    public const string Pdf = "application/pdf", Png = "image/png", Jpeg = "image/jpeg",
        Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Odt = "application/vnd.oasis.opendocument.text";

    public static readonly IReadOnlySet<string> AllowedTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Pdf, Png, Jpeg, Docx, Odt };

    public long MaxBytes => registry.Value.MaxDocumentBytes;

    public string TooLargeDetail => "A document may be at most " +
        (MaxBytes >= 1024 * 1024 ? $"{MaxBytes / (1024 * 1024)} MB." : $"{Math.Max(1, MaxBytes / 1024)} KB.");

    private string Folder => Path.Combine(Path.GetFullPath(database.Value.DataFolder), "documents");

    public async Task<StoredDocument> SaveAsync(Stream body, string? contentType, CancellationToken ct)
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
            throw new DocumentRefusedException(415, "Document type not accepted", $"The file's content is not a {type} document; check the file and its Content-Type.");

        var sha = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        var path = PathOf(sha);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllBytesAsync(temp, bytes, ct);
            try { File.Move(temp, path, overwrite: false); }
            catch (IOException) when (File.Exists(path)) { File.Delete(temp); } // the same content arrived meanwhile
        }
        return new StoredDocument(sha, type, bytes.Length);
    }

    public Stream? Open(string sha256)
    {
        if (!AnswerRules.IsSha256(sha256)) return null;
        var path = PathOf(sha256.ToLowerInvariant());
        return File.Exists(path) ? File.OpenRead(path) : null;
    }

    private string PathOf(string sha) => Path.Combine(Folder, sha[..2], sha);

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
