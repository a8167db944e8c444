namespace CitizenCrm.Core.Storage;

public enum DatabaseProvider { Sqlite, Postgres, SqlServer }

/// <summary>Bound from the "Database" configuration section.</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder for the SQLite file and the PIN key file; created on start.</summary>
    public string DataFolder { get; set; } = "data";

    /// <summary>Overrides the SQLite file under DataFolder; required for the server databases.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite's synchronous pragma. FULL (default) fsyncs the WAL at every commit, so an
    /// acknowledged write survives a power cut. NORMAL is faster but may lose the last
    /// commits (never corrupt the file) if the machine loses power.
    /// </summary>
    public string Synchronous { get; set; } = "FULL";

    /// <summary>
    /// SQLite only: concurrent commands share one transaction and one fsync, each in its own savepoint
    /// (<see cref="GroupCommit"/>). Off, each command commits alone, as before; the benchmarks compare the two.
    /// </summary>
    public bool GroupCommit { get; set; } = true;

    public int BusyTimeoutMilliseconds { get; set; } = 10_000;

    /// <summary>
    /// Folder holding documents/ and photos/; empty: DataFolder. With several nodes, a folder every node mounts (NFS, SMB):
    /// any node may be asked for a file another node stored, and the sweep of unreferenced files must see them all.
    /// </summary>
    public string? FilesFolder { get; set; }

    public string SqliteFile => Path.Combine(DataFolder, "citizencrm.db");

    public string DocumentsFolder => Path.Combine(string.IsNullOrWhiteSpace(FilesFolder) ? DataFolder : FilesFolder, "documents");

    public string PhotosFolder => Path.Combine(string.IsNullOrWhiteSpace(FilesFolder) ? DataFolder : FilesFolder, "photos");
}
