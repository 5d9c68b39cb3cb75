using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dispatch.Silo.Backup;

/// <summary>
/// <c>backup.json</c>, written last into a backup folder: what the backup holds, and the SHA-256 of
/// each file, so that a backup can be checked without restoring it.
/// </summary>
public sealed record BackupManifest
{
    public const string FileName = "backup.json";

    /// <summary>The layout of the folder; a build refuses a format it does not know.</summary>
    public const int CurrentFormat = 1;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public required int Format { get; init; }

    /// <summary>When the copy began: it holds everything committed before, nothing after.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The data folder it was taken from.</summary>
    public required string Source { get; init; }

    /// <summary>The schema scripts the store had applied (<c>DispatchSchema</c>).</summary>
    public required IReadOnlyList<string> Schema { get; init; }

    /// <summary>Rows of <c>OrleansStorage</c>: one per stored grain state.</summary>
    public required long GrainStates { get; init; }

    /// <summary>Rows of <c>OrleansRemindersTable</c>.</summary>
    public required long Reminders { get; init; }

    public required IReadOnlyList<BackupFile> Files { get; init; }

    [JsonIgnore]
    public bool HasSigningKey => Files.Any(f => f.Name == SqliteBackup.SigningKeyFileName);
}

/// <summary>One file of a backup folder.</summary>
public sealed record BackupFile(string Name, long Bytes, string Sha256);
