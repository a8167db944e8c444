using System.Buffers.Text;
using System.Text;

namespace CitizenCrm.Core.Common;

/// <summary>
/// Lists a person works from come a page at a time, with how many there are in all, so nothing is hidden behind
/// a silent cut-off. Pages are keyset (DESIGN.md: never OFFSET): the cursor holds the sort key of the last row
/// shown, and the next page starts strictly after it, so rows added or closed meanwhile neither repeat nor push
/// others out of sight. The cursor is opaque to clients (base64url): its inside may change between versions.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 50, MaxLimit = 200;

    public static void ValidateLimit(Validation v, int? limit)
    {
        if (limit is < 1 or > MaxLimit) v.Add("limit", $"The page size (limit) must be between 1 and {MaxLimit}.");
    }

    public static int Take(int? limit) => limit ?? DefaultLimit;

    /// <summary>A cursor for one list: its name, then the last row's sort key.</summary>
    public static string Encode(string list, params string[] key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n', [list, .. key])));

    /// <summary>The sort key inside a cursor this list gave out, or null (and a field error) for anything else.</summary>
    public static string[]? Decode(Validation v, string? cursor, string list, int keyParts)
    {
        if (cursor is null) return null;
        string[]? parts = null;
        try
        {
            if (cursor.Length <= 400) parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n');
        }
        catch (FormatException) { }
        if (parts is null || parts.Length != keyParts + 1 || parts[0] != list)
        {
            Refuse(v);
            return null;
        }
        return parts[1..];
    }

    public static void Refuse(Validation v) =>
        v.Add("cursor", "This cursor is not one this list gave out. Leave it out to start from the first page, then pass each page's nextCursor.");
}

/// <summary>One page of a list: the rows, how many match in all, and the cursor of the next page (null on the last).</summary>
public interface IPage
{
    long Total { get; }
    string? NextCursor { get; }
}
