using Orleans.Reminders;

namespace Dispatch.IntegrationTests.Storage;

/// <summary>
/// Every query key of the reminder provider, run through Orleans' own <see cref="IReminderTable"/>
/// against one of our schemas: the same checks for SQLite and PostgreSQL.
/// </summary>
public static class ReminderTableContract
{
    /// <summary>Runs the checks; returns the versions of the first upsert and the overwrite, for store-specific checks.</summary>
    public static async Task<(string First, string Second)> VerifyEveryQuery(IReminderTable table)
    {
        var grain = GrainId.Create("request", Guid.NewGuid().ToString("N"));
        var start = new DateTime(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc);

        // Upsert: an overwrite answers a new version.
        var first = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "deadlines", StartAt = start, Period = TimeSpan.FromMinutes(1) })
            ?? throw new InvalidOperationException("The upsert answered no version.");
        var second = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "deadlines", StartAt = start.AddSeconds(5), Period = TimeSpan.FromMinutes(2) })
            ?? throw new InvalidOperationException("The upsert answered no version.");
        await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "other", StartAt = start, Period = TimeSpan.FromDays(40) });
        Assert.NotEqual(first, second);

        var row = await table.ReadRow(grain, "deadlines") ?? throw new InvalidOperationException("No row.");
        Assert.Equal(start.AddSeconds(5), row.StartAt);
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.Equal(TimeSpan.FromMinutes(2), row.Period);
        Assert.Equal(second, row.ETag);
        Assert.Null(await table.ReadRow(grain, "missing"));
        Assert.Equal(2, (await table.ReadRows(grain)).Reminders.Count);
        Assert.Equal(TimeSpan.FromDays(40), (await table.ReadRow(grain, "other"))?.Period); // Periods beyond int milliseconds.

        // Ranges of the hash ring around this grain: one that does not wrap, ones that do, and the whole ring.
        var hash = grain.GetUniformHashCode();
        Assert.Contains((await table.ReadRows(hash - 1, hash)).Reminders, r => r.GrainId == grain);
        Assert.DoesNotContain((await table.ReadRows(hash, hash + 1)).Reminders, r => r.GrainId == grain);
        Assert.Contains((await table.ReadRows(hash + 1, hash)).Reminders, r => r.GrainId == grain);
        Assert.DoesNotContain((await table.ReadRows(hash, hash - 1)).Reminders, r => r.GrainId == grain);
        Assert.Contains((await table.ReadRows(hash, hash)).Reminders, r => r.GrainId == grain);

        // Remove: only with the current version, and only once.
        Assert.False(await table.RemoveRow(grain, "deadlines", first));
        Assert.NotNull(await table.ReadRow(grain, "deadlines"));
        Assert.True(await table.RemoveRow(grain, "deadlines", second));
        Assert.Null(await table.ReadRow(grain, "deadlines"));
        Assert.False(await table.RemoveRow(grain, "deadlines", second));

        await table.TestOnlyClearTable();
        Assert.Empty((await table.ReadRows(grain)).Reminders);
        return (first, second);
    }
}
