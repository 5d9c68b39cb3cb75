namespace Dispatch.Silo.Hosting;

/// <summary>
/// The data folder holds residents' contacts, password hashes and often the token signing key: on
/// Unix it is its owner's alone, <c>0700</c>, and every file in it <c>0600</c>, whatever the umask.
/// </summary>
public static class DataFolder
{
    public const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates the folder (or a folder inside it) as the owner's alone, or makes an existing one so.
    /// </summary>
    public static void CreatePrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, PrivateFolder);
        File.SetUnixFileMode(path, PrivateFolder);
    }

    /// <summary>
    /// Makes the data folder private at start: the folder <c>0700</c>, everything already in it
    /// (files an older version or a restore left) <c>0600</c> and its folders <c>0700</c>. With
    /// the embedded store, <c>dispatch.db</c> is created empty and <c>0600</c> before SQLite first
    /// opens it, because SQLite gives the <c>-wal</c> and <c>-shm</c> files it creates the mode of
    /// the database file.
    /// </summary>
    public static void Prepare(DispatchStorageOptions storage)
    {
        CreatePrivate(storage.DataDir);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var entry in new DirectoryInfo(storage.DataDir).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is not null)
            {
                continue; // Not ours to change: a link's target may be anywhere.
            }

            var mode = entry is DirectoryInfo ? PrivateFolder : PrivateFile;
            if (entry.UnixFileMode != mode)
            {
                entry.UnixFileMode = mode;
            }
        }

        if (storage.Provider == StorageProvider.Sqlite)
        {
            try
            {
                using var _ = new FileStream(
                    Path.Combine(storage.DataDir, DispatchStorageOptions.DatabaseFileName),
                    new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFile });
            }
            catch (IOException)
            {
                // It exists (made private above), or another process has just created it.
            }
        }
    }
}
