using Dapper;

namespace CitizenCrm.Core.Storage;

/// <summary>
/// Content-addressed files in one folder of the data folder, {folder}/{first two hex}/{sha256}, shared by the case
/// documents and the photos of map reports. The path comes only from the content's hash, never from an uploaded name,
/// so no name can reach outside the folder or overwrite another file.
/// <para>
/// A file is written before the row that refers to it commits: to a temporary name, fsynced, renamed, and its folder
/// fsynced, so a committed row always has its file on disk after a power cut (rename alone is not durable until the
/// directory is synced: see fsync(2) and https://lwn.net/Articles/457667/). If the transaction then fails, the owner
/// calls <see cref="RemoveIfUnreferencedAsync"/>; what a crash leaves between the two steps (a temporary file, or a
/// file whose row never committed) is removed by <see cref="SweepAsync"/> at the next start.
/// </para>
/// </summary>
/// <param name="folder">The folder, resolved when first used (options are bound after construction in some hosts).</param>
/// <param name="referencedSql">A count of committed rows naming the file: parameter @Sha256.</param>
/// <param name="allReferencedSql">Every hash committed rows name, for the sweep.</param>
public sealed class DurableFiles(Func<string> folder, IDatabase db, string referencedSql, string allReferencedSql)
{
    /// <summary>Temporary and unreferenced files younger than this are left alone by the sweep: another node may be writing them.</summary>
    public static readonly TimeSpan SweepGrace = TimeSpan.FromMinutes(15);

    private const string TempSuffix = ".tmp";

    public string Folder => Path.GetFullPath(folder());

    public static bool IsSha256(string s) => s.Length == 64 && s.All(char.IsAsciiHexDigit);

    public string PathOf(string sha256) => Path.Combine(Folder, sha256[..2], sha256);

    /// <summary>Writes the file durably (temp name, fsync, rename, fsync of the folder); nothing to do when the content is already stored.</summary>
    public async Task WriteAsync(string sha256, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        var path = PathOf(sha256);
        if (File.Exists(path)) return; // the same content is already stored (and was synced when it was written)
        var root = Folder;
        var sub = Path.GetDirectoryName(path)!;
        var newRoot = !Directory.Exists(root);
        var newFolder = !Directory.Exists(sub);
        Directory.CreateDirectory(sub);
        var temp = path + "." + Guid.NewGuid().ToString("N") + TempSuffix;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await file.WriteAsync(bytes, ct);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // The same content arrived meanwhile (another node): theirs is as good as ours.
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        Durability.SyncFolder(sub);
        if (newFolder) Durability.SyncFolder(root);
        if (newRoot) Durability.SyncFolder(Path.GetDirectoryName(root)!);
    }

    /// <summary>
    /// Removes the file unless a committed row refers to it. Failures are swallowed: the file is then left for the
    /// sweep at the next start, and the failure the caller reports is its own. Returns whether the file was removed.
    /// </summary>
    public async Task<bool> RemoveIfUnreferencedAsync(string sha256)
    {
        try
        {
            await using var connection = await db.OpenAsync(CancellationToken.None);
            if (await connection.ExecuteScalarAsync<long>(referencedSql, new { Sha256 = sha256 }) > 0) return false;
            var path = PathOf(sha256);
            if (!File.Exists(path)) return false;
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            return false;
        }
    }

    /// <summary>
    /// At start: removes temporary files, and files no row refers to (a crash between the file and its commit),
    /// once older than <see cref="SweepGrace"/>. Returns how many files were removed.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var root = Folder;
        if (!Directory.Exists(root)) return 0;
        await using var connection = await db.OpenAsync(ct);
        var referenced = (await connection.QueryAsync<string>(new CommandDefinition(allReferencedSql, cancellationToken: ct)))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var cutoff = DateTime.UtcNow - SweepGrace; // file times are the operating system's clock, so is this

        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            var leftover = name.EndsWith(TempSuffix, StringComparison.Ordinal) || (IsSha256(name) && !referenced.Contains(name));
            if (!leftover || File.GetLastWriteTimeUtc(file) > cutoff) continue;
            File.Delete(file);
            removed++;
        }
        return removed;
    }

    public Stream? Open(string sha256)
    {
        if (!IsSha256(sha256)) return null;
        var path = PathOf(sha256.ToLowerInvariant());
        return File.Exists(path) ? File.OpenRead(path) : null;
    }
}

/// <summary>
/// fsync of a folder, so a rename or a new entry in it survives a power cut. .NET opens no handle on a folder, so
/// this calls open(2) and fsync(2) from libc. On Windows, NTFS journals the rename itself
/// (MoveFileEx is durable once it returns with the file flushed), so there is nothing to do there.
/// </summary>
internal static class Durability
{
    private const int ReadOnly = 0;

    public static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD()) return;
        // O_RDONLY opens a folder on every Unix; O_DIRECTORY is left out because its value differs by CPU (x64 vs arm64).
        var fd = Open(folder, ReadOnly);
        if (fd < 0) throw new IOException($"Could not open the folder {folder} to sync it (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Fsync(fd) != 0)
                throw new IOException($"Could not sync the folder {folder} (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport rather than LibraryImport, which would need unsafe code enabled for the whole project.
    // The path travels as NUL-terminated UTF-8 bytes, as open(2) expects.
    private static int Open(string path, int flags) => OpenBytes(System.Text.Encoding.UTF8.GetBytes(path + "\0"), flags);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenBytes(byte[] path, int flags);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
