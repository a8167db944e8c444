using CsvHelper;

namespace CitizenCrm.Core.Common;

/// <summary>How the CSV exports of other systems (the revenue system, the population register) are read.</summary>
public static class ExportCsv
{
    /// <summary>No line of an export is longer than this; a longer one is a broken file, not a long record.</summary>
    public const int MaxLineBytes = 64 * 1024;

    /// <summary>
    /// A header line, then one row per line. No field of these exports spans lines, so a stray quote ends at the line
    /// break instead of swallowing the good rows after it; a malformed row is skipped and reported by the caller's
    /// OnMalformedRecord.
    /// </summary>
    public static readonly CsvReaderOptions OneRowPerLine = CsvReaderOptions.Default with
    {
        Separator = ',',
        HasHeader = true,
        TrackLineNumbers = true,
        AllowLineBreaksInQuotes = false,
        TrimWhitespace = true,
        MaxRecordSize = MaxLineBytes,
        MalformedData = CsvMalformedDataHandling.Skip,
    };
}
