using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Api;
using Dispatch.IntegrationTests.Support;
using Dispatch.Points;
using Dispatch.Requests;
using Dispatch.Silo.Backup;
using Dispatch.WebHost.Auth;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dispatch.IntegrationTests.Storage;

/// <summary>
/// Backups that restore: taken while the host runs and keeps writing, put in place of (or beside)
/// a store, and served by a fresh Dispatch with the same requests, claims and balances; on SQLite
/// with the Silo's backup commands, on PostgreSQL with scripts/backup-postgres.sh and restore-postgres.sh.
/// </summary>
public sealed class BackupTests : IDisposable
{
    private readonly TempDirectory directory = new();

    [Fact]
    public async Task A_SQLite_backup_taken_while_the_host_writes_restores_the_same_requests_claims_and_balances()
    {
        var liveDir = Path.Combine(directory.Path, "live");
        var restoredDir = Path.Combine(directory.Path, "restored");
        var backup = Path.Combine(directory.Path, "backups", "nightly");
        Round round;
        string staffToken;
        await using (var live = new DispatchApp(liveDir))
        {
            round = await Round.Prepare(await World.Create(live, volunteersPerCommunity: 3));
            using var staff = await live.LoginAs("staff-t1", World.Password);
            staffToken = staff.Http.DefaultRequestHeaders.Authorization!.Parameter!;

            await round.WhileWriting(async () =>
            {
                var (code, output, error) = await Command("backup", "--to", backup, "--include-signing-key", $"--Dispatch:DataDir={liveDir}");
                Assert.True(code == 0, error);
                Assert.Contains("Backup written to", output, StringComparison.Ordinal);
            });

            // The store is open: a restore over it is refused, moves nothing, and the host carries on.
            var before = Directory.GetFileSystemEntries(liveDir).Order(StringComparer.Ordinal).ToArray();
            var refused = await Command("restore", "--from", backup, $"--Dispatch:DataDir={liveDir}");
            Assert.Equal(1, refused.Code);
            Assert.Contains("is in use", refused.Error, StringComparison.Ordinal);
            Assert.Equal(before, Directory.GetFileSystemEntries(liveDir).Order(StringComparer.Ordinal));
            await DispatchClient.Expect(await staff.Get($"/api/requests/{round.Activity}"), HttpStatusCode.OK);
        }

        Assert.Equal(
            [BackupManifest.FileName, "dispatch.db", SigningKeyProvider.KeyFileName],
            Directory.GetFiles(backup).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(backup)!, ".*")); // No partial folder left.
        var verified = await Command("verify-backup", "--from", backup);
        Assert.True(verified.Code == 0, verified.Error);
        Assert.Contains("is a whole backup", verified.Output, StringComparison.Ordinal);

        var restored = await Command("restore", "--from", backup, $"--Dispatch:DataDir={restoredDir}");
        Assert.True(restored.Code == 0, restored.Error);
        Assert.Contains("There was no store there before.", restored.Output, StringComparison.Ordinal);

        await using var app = new DispatchApp(restoredDir);
        await round.CheckRestored(app);

        // The signing key came with the backup: a token issued before it still works.
        using var staffAgain = app.Anonymous();
        staffAgain.Http.DefaultRequestHeaders.Authorization = new("Bearer", staffToken);
        await DispatchClient.Expect(await staffAgain.Get($"/api/requests/{round.Activity}"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_restore_over_a_stopped_store_keeps_the_replaced_one_aside()
    {
        var dataDir = Path.Combine(directory.Path, "data");
        var backup = Path.Combine(directory.Path, "before-the-mistake");
        Guid kept, mistake;
        await using (var app = new DispatchApp(dataDir))
        {
            using var admin = await app.Admin();
            await World.Seed(admin, volunteersPerCommunity: 1);
            using var staff = await app.LoginAs("staff-t1", World.Password);
            kept = (await staff.CreateRequest("m1", title: "Kept")).Id;
            Assert.Equal(0, (await Command("backup", "--to", backup, $"--Dispatch:DataDir={dataDir}")).Code);
            mistake = (await staff.CreateRequest("m1", title: "Made after the backup")).Id;
        }

        Stopped();

        var restored = await Command("restore", "--from", backup, $"--Dispatch:DataDir={dataDir}");

        Assert.True(restored.Code == 0, restored.Error);
        var aside = Assert.Single(Directory.GetDirectories(dataDir, "pre-restore-*"));
        Assert.Contains(aside, restored.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(aside, "dispatch.db")));
        Assert.True(File.Exists(Path.Combine(dataDir, SigningKeyProvider.KeyFileName))); // The backup had none: the folder's stays.
        await using var again = new DispatchApp(dataDir);
        using var staffAgain = await again.LoginAs("staff-t1", World.Password);
        Assert.Equal("Kept", (await staffAgain.GetOk<RequestView>($"/api/requests/{kept}")).Title);
        await DispatchClient.Problem(await staffAgain.Get($"/api/requests/{mistake}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_silo_program_backs_up_a_running_host_process_and_restores_only_once_it_has_stopped()
    {
        var dataDir = Path.Combine(directory.Path, "data");
        var backup = Path.Combine(directory.Path, "backup");
        Guid id;
        using (var host = await DispatchProcess.Start(dataDir))
        {
            using var admin = await host.Admin();
            await World.Seed(admin, volunteersPerCommunity: 1);
            using var staff = await host.LoginAs("staff-t1", World.Password);
            id = (await staff.CreateRequest("m1", title: "Backed up from another process")).Id;

            var backedUp = await SiloProgram("backup", "--to", backup, $"--Dispatch:DataDir={dataDir}");
            Assert.True(backedUp.Code == 0, backedUp.Error);

            var refused = await SiloProgram("restore", "--from", backup, $"--Dispatch:DataDir={dataDir}");
            Assert.Equal(1, refused.Code);
            Assert.Contains("is in use", refused.Error, StringComparison.Ordinal);
            await DispatchClient.Expect(await staff.Get($"/api/requests/{id}"), HttpStatusCode.OK);
            Assert.True(await host.Stop(TimeSpan.FromSeconds(60)));
        }

        var restored = await SiloProgram("restore", "--from", backup, $"--Dispatch:DataDir={dataDir}");
        Assert.True(restored.Code == 0, restored.Error);
        using var again = await DispatchProcess.Start(dataDir);
        using var staffAgain = await again.LoginAs("staff-t1", World.Password);
        Assert.Equal("Backed up from another process", (await staffAgain.GetOk<RequestView>($"/api/requests/{id}")).Title);
    }

    [Fact]
    public async Task An_admin_takes_a_backup_over_HTTP_into_the_data_folder_and_nobody_else_may()
    {
        var dataDir = Path.Combine(directory.Path, "data");
        await using var app = new DispatchApp(dataDir);
        using var admin = await app.Admin();
        await World.Seed(admin, volunteersPerCommunity: 1);
        using var staff = await app.LoginAs("staff-t1", World.Password);
        await staff.CreateRequest("m1");

        var taken = await admin.PostOk<JsonObject>("/api/admin/backups", status: HttpStatusCode.Created);

        var name = taken["name"]!.GetValue<string>();
        Assert.Matches("^dispatch-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$", name);
        var folder = Path.Combine(dataDir, "backups", name);
        var verified = await Command("verify-backup", "--from", folder);
        Assert.True(verified.Code == 0, verified.Error);
        Assert.Contains("without the signing key", verified.Output, StringComparison.Ordinal);
        Assert.Equal(Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length) - new FileInfo(Path.Combine(folder, BackupManifest.FileName)).Length, taken["bytes"]!.GetValue<long>());
        Assert.True(taken["grainStates"]!.GetValue<long>() > 10);
        Assert.Equal(["0001-grain-storage.sql", "0002-reminders.sql", "0010-query-store.sql", "0011-query-resident-rating.sql"], taken["schema"]!.AsArray().Select(s => s!.GetValue<string>()));

        await DispatchClient.Problem(await staff.Post("/api/admin/backups"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await app.Anonymous().Post("/api/admin/backups"), HttpStatusCode.Unauthorized);
        Assert.Single(Directory.GetDirectories(Path.Combine(dataDir, "backups")));
    }

    [Fact]
    public async Task Backups_to_unwritable_places_and_restores_from_missing_or_damaged_backups_fail_clearly_and_change_nothing()
    {
        var dataDir = Path.Combine(directory.Path, "data");
        await using (var app = new DispatchApp(dataDir))
        {
            using var admin = await app.Admin();
            await admin.CreatePlace("r1", "region", null);
        }

        Stopped();

        var good = Path.Combine(directory.Path, "good");
        Assert.Equal(0, (await Command("backup", "--to", good, $"--Dispatch:DataDir={dataDir}")).Code);
        var store = Fingerprint(dataDir);

        // Under a file: no folder can be made there.
        var blocker = Path.Combine(directory.Path, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");
        var underFile = await Command("backup", "--to", Path.Combine(blocker, "backup"), $"--Dispatch:DataDir={dataDir}");
        Assert.Equal(1, underFile.Code);
        Assert.Contains("Cannot write the backup", underFile.Error, StringComparison.Ordinal);

        var existing = await Command("backup", "--to", good, $"--Dispatch:DataDir={dataDir}");
        Assert.Equal(1, existing.Code);
        Assert.Contains("already exists", existing.Error, StringComparison.Ordinal);

        var noStore = await Command("backup", "--to", Path.Combine(directory.Path, "x"), $"--Dispatch:DataDir={Path.Combine(directory.Path, "empty")}");
        Assert.Equal(1, noStore.Code);
        Assert.Contains("There is no Dispatch store", noStore.Error, StringComparison.Ordinal);

        var postgres = await Command("backup", "--to", Path.Combine(directory.Path, "y"), "--Dispatch:Storage:Provider=PostgreSQL", "--ConnectionStrings:Dispatch=Host=nowhere");
        Assert.Equal(1, postgres.Code);
        Assert.Contains("scripts/backup-postgres.sh", postgres.Error, StringComparison.Ordinal);

        Assert.Equal(2, (await Command("backup", $"--Dispatch:DataDir={dataDir}")).Code); // No --to.

        var missing = await Command("restore", "--from", Path.Combine(directory.Path, "nothing-here"), $"--Dispatch:DataDir={dataDir}");
        Assert.Equal(1, missing.Code);
        Assert.Contains("There is no backup at", missing.Error, StringComparison.Ordinal);

        // A flipped byte: the checksum catches it.
        var flipped = Copy(good, "flipped");
        var bytes = await File.ReadAllBytesAsync(Path.Combine(flipped, "dispatch.db"));
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(Path.Combine(flipped, "dispatch.db"), bytes);
        var damaged = await Command("restore", "--from", flipped, $"--Dispatch:DataDir={dataDir}");
        Assert.Equal(1, damaged.Code);
        Assert.Contains("is damaged", damaged.Error, StringComparison.Ordinal);

        // Garbage with a matching checksum: SQLite refuses it.
        var garbage = Copy(good, "garbage");
        await File.WriteAllBytesAsync(Path.Combine(garbage, "dispatch.db"), RandomNumberGenerator.GetBytes(8192));
        await RewriteManifest(garbage);
        var notSqlite = await Command("verify-backup", "--from", garbage);
        Assert.Equal(1, notSqlite.Code);
        Assert.Contains("not a readable SQLite database", notSqlite.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await Command("restore", "--from", garbage, $"--Dispatch:DataDir={dataDir}")).Code);

        var noManifest = Copy(good, "no-manifest");
        File.Delete(Path.Combine(noManifest, BackupManifest.FileName));
        var notBackup = await Command("restore", "--from", noManifest, $"--Dispatch:DataDir={dataDir}");
        Assert.Equal(1, notBackup.Code);
        Assert.Contains("is not a Dispatch backup", notBackup.Error, StringComparison.Ordinal);

        Assert.Equal(store, Fingerprint(dataDir));
    }

    [Fact]
    public async Task A_pg_dump_taken_while_the_host_writes_restores_into_a_new_database_with_the_same_requests_claims_and_balances()
    {
        var dump = Path.Combine(directory.Path, "dispatch.dump");
        await using var store = await TestStore.Create(StoreKind.PostgreSQL);
        await using var target = await PostgresDatabase.CreateAsync();
        var source = store.Settings["ConnectionStrings:Dispatch"]!;
        Round round;
        await using (var live = store.App())
        {
            round = await Round.Prepare(await World.Create(live, volunteersPerCommunity: 3));
            await round.WhileWriting(async () =>
            {
                var (code, output, error) = await Script("backup-postgres.sh", source, "--to", dump);
                Assert.True(code == 0, error);
                Assert.Contains("Backup written to", output, StringComparison.Ordinal);
            });

            // Over the live database: refused without --clean, and with it while its silo is alive.
            var notEmpty = await Script("restore-postgres.sh", source, "--from", dump);
            Assert.Equal(1, notEmpty.Code);
            Assert.Contains("already has Dispatch tables", notEmpty.Error, StringComparison.Ordinal);
            var alive = await Script("restore-postgres.sh", source, "--from", dump, "--clean");
            Assert.Equal(1, alive.Code);
            Assert.Contains("alive in the last 10 minutes", alive.Error, StringComparison.Ordinal);
        }

        // A damaged archive is refused before anything is written.
        var truncated = Path.Combine(directory.Path, "truncated.dump");
        await File.WriteAllBytesAsync(truncated, (await File.ReadAllBytesAsync(dump))[..64]);
        var damaged = await Script("restore-postgres.sh", target.ConnectionString, "--from", truncated);
        Assert.Equal(1, damaged.Code);
        Assert.Contains("not a pg_dump custom-format archive", damaged.Error, StringComparison.Ordinal);
        Assert.Null(await target.ScalarAsync<string>("SELECT to_regclass('orleansstorage')::text"));

        var restored = await Script("restore-postgres.sh", target.ConnectionString, "--from", dump);
        Assert.True(restored.Code == 0, restored.Error);
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM orleansmembershiptable")); // Membership is not kept.

        await using var app = new DispatchApp(Path.Combine(directory.Path, "restored"), new Dictionary<string, string?>
        {
            ["Dispatch:Storage:Provider"] = "PostgreSQL",
            ["ConnectionStrings:Dispatch"] = target.ConnectionString,
        });
        await round.CheckRestored(app);
    }

    public void Dispose() => directory.Dispose();

    /// <summary>
    /// A stopped host's process has closed its store; one stopped in this process leaves its idle
    /// connections in Microsoft.Data.Sqlite's pool, which would hold the store open (others' pooled
    /// connections are closed too, and reopened when next used).
    /// </summary>
    private static void Stopped() => SqliteConnection.ClearAllPools();

    /// <summary>Runs a Silo backup command in this process, as <c>dotnet run --project src/Silo -- …</c> would.</summary>
    private static async Task<(int Code, string Output, string Error)> Command(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await BackupCommands.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Runs Dispatch.Silo.dll with <paramref name="args"/> as its own process, with the web host's
    /// runtimeconfig and deps.json, which resolve everything in the test folder (see DispatchProcess).
    /// </summary>
    private static Task<(int Code, string Output, string Error)> SiloProgram(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "exec",
                "--runtimeconfig", Path.Combine(AppContext.BaseDirectory, "Dispatch.WebHost.runtimeconfig.json"),
                "--depsfile", Path.Combine(AppContext.BaseDirectory, "Dispatch.WebHost.deps.json"),
                Path.Combine(AppContext.BaseDirectory, "Dispatch.Silo.dll"),
            },
        };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        return Run(start);
    }

    /// <summary>Runs one of the PostgreSQL scripts with <c>--db</c> made from an Npgsql connection string (the password by PGPASSWORD).</summary>
    private static async Task<(int Code, string Output, string Error)> Script(string name, string connectionString, params string[] args)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(Repository.Root(), "scripts", name), "--db", $"host={connection.Host} port={connection.Port} user={connection.Username} dbname={connection.Database}" },
            Environment = { ["PGPASSWORD"] = connection.Password },
        };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        return await Run(start);
    }

    private static async Task<(int Code, string Output, string Error)> Run(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Every file under a folder with its SHA-256: equal when nothing was changed.</summary>
    private static string Fingerprint(string folder) => string.Join('\n', Directory
        .GetFiles(folder, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(f => $"{Path.GetRelativePath(folder, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));

    private string Copy(string backup, string name)
    {
        var copy = Path.Combine(directory.Path, name);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(backup))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    /// <summary>Records the files' current sizes and checksums in the manifest, as if the backup had been made so.</summary>
    private static async Task RewriteManifest(string backup)
    {
        var path = Path.Combine(backup, BackupManifest.FileName);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        foreach (var file in manifest["files"]!.AsArray())
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(backup, file!["name"]!.GetValue<string>()));
            file["bytes"] = bytes.Length;
            file["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }

        await File.WriteAllTextAsync(path, manifest.ToJsonString());
    }

    /// <summary>
    /// One round trip: a world with verified work that earned points, open and claimed requests and
    /// a staff adjustment, read through the API before the backup; requests created all the while
    /// the backup runs; and the checks that a restored store serves the same and still works.
    /// </summary>
    private sealed class Round
    {
        private readonly World world;
        private readonly Dictionary<string, string> before = [];
        private readonly ConcurrentQueue<Guid> written = new();
        private Guid[] writtenBeforeBackup = [];

        private Round(World world) => this.world = world;

        /// <summary>An activity with 3 places, two of them claimed.</summary>
        public Guid Activity { get; private set; }

        private static readonly string[] Volunteers = [World.Volunteer("m1", 1), World.Volunteer("m1", 2), World.Volunteer("m1", 3), World.Volunteer("m2", 1)];

        public static async Task<Round> Prepare(World world)
        {
            var round = new Round(world);
            using var staff = await world.As("staff-t1");
            using var first = await world.As(World.Volunteer("m1", 1));
            using var second = await world.As(World.Volunteer("m1", 2));

            // Verified by the beneficiary's code, and by staff: both claimants are credited.
            var byCode = await staff.CreateRequest("m1", title: "Verified by code");
            await first.PostOk<RequestView>($"/api/requests/{byCode.Id}/claim");
            await first.PostOk<RequestView>($"/api/requests/{byCode.Id}/start");
            await first.PostOk<RequestView>($"/api/requests/{byCode.Id}/complete", new { note = "Delivered", checkInCode = byCode.CheckInCode });
            var byStaff = await staff.CreateRequest("m1", title: "Verified by staff");
            await second.PostOk<RequestView>($"/api/requests/{byStaff.Id}/claim");
            await second.PostOk<RequestView>($"/api/requests/{byStaff.Id}/start");
            await second.PostOk<RequestView>($"/api/requests/{byStaff.Id}/complete", new { note = "Done" });
            await staff.PostOk<RequestView>($"/api/requests/{byStaff.Id}/verify", new { approved = true, rating = 5 });

            round.Activity = (await staff.CreateRequest("m1", kind: "activity", places: 3, title: "Park clean-up")).Id;
            await first.PostOk<RequestView>($"/api/requests/{round.Activity}/claim");
            await second.PostOk<RequestView>($"/api/requests/{round.Activity}/claim");
            var claimed = await staff.CreateRequest("m1", title: "Claimed, not started");
            await second.PostOk<RequestView>($"/api/requests/{claimed.Id}/claim");
            var open = await staff.CreateRequest("m2", title: "Nobody yet");
            await staff.PostOk<LedgerEntry>($"/api/volunteers/{World.Volunteer("m2", 1)}/points", new { amount = 25, reason = "Flood shelter" }, HttpStatusCode.Created);

            // Credits are posted after the verification's answer: wait for them before reading.
            foreach (var volunteer in Volunteers[..2])
            {
                var statement = await Eventually.Get(() => staff.GetOk<PointsStatement>($"/api/volunteers/{volunteer}/points"), s => s.Balance == byCode.Award);
                Assert.Equal(byCode.Award, statement.Balance);
            }

            foreach (var path in Paths([byCode.Id, byStaff.Id, round.Activity, claimed.Id, open.Id]))
            {
                round.before[path] = await Read(world.Admin, path);
            }

            return round;
        }

        /// <summary>
        /// Runs <paramref name="backup"/> while staff keep creating requests: it starts once some are
        /// acknowledged, and the writes go on until a few more are acknowledged after it returned.
        /// </summary>
        public async Task WhileWriting(Func<Task> backup)
        {
            using var stop = new CancellationTokenSource();
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var after = 0;
            var afterBackup = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var backupDone = false;
            using var staff = await world.As("staff-m3");
            var writer = Task.Run(async () =>
            {
                for (var n = 1; !stop.IsCancellationRequested; n++)
                {
                    written.Enqueue((await staff.CreateRequest("m3", title: $"Written during the backup {n}")).Id);
                    if (n == 5)
                    {
                        started.TrySetResult();
                    }

                    if (Volatile.Read(ref backupDone) && ++after == 3)
                    {
                        afterBackup.TrySetResult();
                    }
                }
            });

            await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            writtenBeforeBackup = [.. written];
            await backup();
            Volatile.Write(ref backupDone, true);
            await afterBackup.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await stop.CancelAsync();
            await writer;
        }

        /// <summary>The restored store, on a fresh host, serves what was read before, and claiming carries on.</summary>
        public async Task CheckRestored(DispatchApp app)
        {
            using var admin = await app.Admin();
            foreach (var (path, json) in before)
            {
                Assert.Equal(json, await Read(admin, path));
            }

            Assert.True(writtenBeforeBackup.Length >= 5);
            foreach (var id in writtenBeforeBackup)
            {
                await DispatchClient.Expect(await admin.Get($"/api/requests/{id}"), HttpStatusCode.OK);
            }

            // The last place of the activity goes to the third volunteer; then it is full.
            using var first = await app.LoginAs(World.Volunteer("m1", 1), World.Password);
            using var third = await app.LoginAs(World.Volunteer("m1", 3), World.Password);
            Assert.Equal("alreadyClaimed", await LifecycleTests.Reason(first, Activity, HttpStatusCode.Conflict));
            var full = await third.PostOk<RequestView>($"/api/requests/{Activity}/claim");
            Assert.Equal((RequestStatus.Claimed, 3), (full.Status, full.Claimants.Length));
            await admin.CreateAccount("late-volunteer", "volunteer", "m1");
            using var late = await app.LoginAs("late-volunteer", World.Password);
            Assert.Equal("full", await LifecycleTests.Reason(late, Activity, HttpStatusCode.Conflict));
        }

        private static IEnumerable<string> Paths(Guid[] requests) =>
            requests.Select(id => $"/api/requests/{id}")
                .Concat(requests.Select(id => $"/api/requests/{id}/history"))
                .Concat(Volunteers.Select(v => $"/api/volunteers/{v}"))
                .Concat(Volunteers.Select(v => $"/api/volunteers/{v}/points"));

        private static async Task<string> Read(DispatchClient client, string path)
        {
            var response = await client.Get(path);
            await DispatchClient.Expect(response, HttpStatusCode.OK);
            return await response.Content.ReadAsStringAsync();
        }
    }
}
