using System.Security.Cryptography;
using System.Text;
using CitizenCrm.Core.Common;
using CsvHelper;

namespace CitizenCrm.Core.Citizens;

/// <summary>One row of a citizens file (docs/citizen-import.md) as written, before any check; null for an empty cell.</summary>
public sealed record CitizenCsvRow(int Line, string? Cnp, string? FirstName, string? LastName, string? Address,
    string? Phone, string? Email, string? PreferredLanguage, string? Malformed);

/// <summary>
/// Reads a city's register export with CsvHelper, one row at a time from a file: comma-separated, UTF-8, a header row naming
/// the columns (in any order; others are ignored). The file is never held in memory, so a register of any size can be read.
/// </summary>
public static class CitizenCsv
{
    public const string CnpColumn = "cnp", FirstNameColumn = "first_name", LastNameColumn = "last_name", AddressColumn = "address",
        PhoneColumn = "phone", EmailColumn = "email", LanguageColumn = "preferred_language";

    public static readonly string[] Columns = [CnpColumn, FirstNameColumn, LastNameColumn, AddressColumn, PhoneColumn, EmailColumn, LanguageColumn];

    /// <summary>
    /// The longest line, in bytes. A register's line is a few hundred bytes; CsvHelper throws on a record longer than its
    /// MaxRecordSize once the file is being imported, so a longer line is refused with the file, before anything is written.
    /// </summary>
    public const int MaxLineBytes = ExportCsv.MaxLineBytes;

    /// <summary>
    /// The rows of the file, lazily. The header is checked before the first row is returned, so a file without the columns is
    /// refused (a <see cref="ValidationFailedException"/>) before anything is written.
    /// </summary>
    public static IEnumerable<CitizenCsvRow> Read(Stream stream)
    {
        var malformed = new Queue<(int Line, string Reason)>();
        var options = ExportCsv.OneRowPerLine with
        {
            SkipEmptyLines = true,
            OnMalformedRecord = m => malformed.Enqueue(((int)m.LineNumber, m.Reason.ToString())),
        };
        using var reader = CsvReader.Create(stream, options, leaveOpen: true);
        reader.ReadHeader();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var column in Columns)
            if (reader.TryGetFieldIndex(column, out var i)) index[column] = i;
        var missing = Columns.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw ValidationFailedException.For("file", $"The first line must name the columns; missing: {string.Join(", ", missing)}. See docs/citizen-import.md.");

        while (reader.Read())
        {
            while (malformed.TryDequeue(out var bad)) yield return Broken(bad);
            string? Get(string column) =>
                index[column] < reader.FieldCount && reader.GetString(index[column]) is { Length: > 0 } v && v.Trim() is { Length: > 0 } t ? t : null;
            yield return new CitizenCsvRow((int)reader.LineNumber, Get(CnpColumn), Get(FirstNameColumn), Get(LastNameColumn), Get(AddressColumn),
                Get(PhoneColumn), Get(EmailColumn), Get(LanguageColumn), null);
        }
        while (malformed.TryDequeue(out var bad)) yield return Broken(bad);
    }

    private static CitizenCsvRow Broken((int Line, string Reason) bad) =>
        new(bad.Line, null, null, null, null, null, null, null, $"The row's quoting is broken ({bad.Reason}): check the quotes on this line.");

    /// <summary>
    /// Copies an upload to <paramref name="target"/>, refusing it when it is not UTF-8, has a line longer than
    /// <see cref="MaxLineBytes"/> or is larger than <paramref name="limit"/> bytes, and returns its SHA-256 (hex). The import
    /// itself writes in batches, so a file must be known to be readable before the first batch is committed: a bad byte at
    /// row 40,000 must not leave the first 39,999 rows half-imported.
    /// </summary>
    public static async Task<string> CopyCheckedAsync(Stream source, Stream target, long? limit, CancellationToken ct)
    {
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        var chars = new char[new UTF8Encoding().GetMaxCharCount(buffer.Length)];
        long total = 0, line = 1, lineBytes = 0;
        int read;
        try
        {
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > limit) throw new FileTooLargeException(limit.Value);
                decoder.GetChars(buffer, 0, read, chars, 0, flush: false);
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] == (byte)'\n') { line++; lineBytes = 0; }
                    else if (++lineBytes > MaxLineBytes)
                        throw ValidationFailedException.For("file", $"Line {line} is longer than {MaxLineBytes / 1024} KB: a register's line is a few hundred characters. Check the file is the register's CSV export.");
                }
                sha.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            decoder.GetChars([], 0, 0, chars, 0, flush: true);
        }
        catch (DecoderFallbackException)
        {
            throw ValidationFailedException.For("file", "The file is not UTF-8 text: save the export as UTF-8 (names carry diacritics such as ș, ț, ő).");
        }
        await target.FlushAsync(ct);
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}

/// <summary>An upload over the configured limit: the endpoint answers 413 before anything is imported.</summary>
public sealed class FileTooLargeException(long limit) : Exception($"The upload is larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}
