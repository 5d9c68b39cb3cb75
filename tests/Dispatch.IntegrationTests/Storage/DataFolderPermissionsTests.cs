using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;

namespace Dispatch.IntegrationTests.Storage;

/// <summary>
/// The data folder holds residents' contacts, password hashes and (often) the signing key: on Unix
/// it is the owner's alone, <c>0700</c>, with every file in it <c>0600</c>, whatever the umask and
/// whatever an older version left behind.
/// </summary>
public sealed class DataFolderPermissionsTests
{
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_data_folder_and_everything_in_it_are_the_owners_alone()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var directory = new TempDirectory();
        var dataDir = Path.Combine(directory.Path, "data");

        // What an older version left: a world-readable folder and store.
        Directory.CreateDirectory(dataDir);
        File.SetUnixFileMode(dataDir, PrivateFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var leftOver = Path.Combine(dataDir, "pre-restore-20261129T000000Z");
        Directory.CreateDirectory(leftOver);
        await File.WriteAllTextAsync(Path.Combine(leftOver, "dispatch.db"), "old");
        File.SetUnixFileMode(Path.Combine(leftOver, "dispatch.db"), PrivateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var app = new DispatchApp(dataDir);
        using var admin = await app.Admin();
        await admin.CreatePlace("r1", "region", null);
        await admin.PostOk<JsonObject>("/api/admin/backups", status: HttpStatusCode.Created);

        Assert.True(File.Exists(Path.Combine(dataDir, "dispatch.db-wal")), "The store runs in WAL mode: its -wal file is checked too.");
        Assert.Equal(PrivateFolder, File.GetUnixFileMode(dataDir));
        var loose = Directory.EnumerateFileSystemEntries(dataDir, "*", SearchOption.AllDirectories)
            .Select(path => (path, mode: File.GetUnixFileMode(path), folder: Directory.Exists(path)))
            .Where(e => e.mode != (e.folder ? PrivateFolder : PrivateFile))
            .Select(e => $"{Path.GetRelativePath(dataDir, e.path)} {e.mode}")
            .ToList();
        Assert.Empty(loose);
    }
}
