using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Dispatch.IntegrationTests.Fuzz;

/// <summary>
/// How the property-based suite runs: a fixed seed and a bounded number of cases, so that CI is
/// deterministic and quick. <c>DISPATCH_FUZZ_SEED</c> (a number, or FsCheck's "(seed,gamma)"
/// replay string from a failure) and <c>DISPATCH_FUZZ_SCALE</c> (a multiplier of the case
/// counts) change that for a longer local run.
/// </summary>
public static class FuzzRun
{
    public const ulong DefaultSeed = 20261129;

    // FsCheck's replay is a (seed, gamma) pair; gamma must be odd.
    private const ulong DefaultGamma = 0x9E3779B97F4A7C15;

    public static int Scale { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("DISPATCH_FUZZ_SCALE"), CultureInfo.InvariantCulture, out var scale) && scale > 0 ? scale : 1;

    public static (ulong Seed, ulong Gamma) Seed { get; } = ParseSeed(Environment.GetEnvironmentVariable("DISPATCH_FUZZ_SEED"));

    /// <summary>A configuration for <paramref name="cases"/> cases (times the scale), replaying the seed; <paramref name="salt"/> varies it per property.</summary>
    public static Config Config(int cases, ulong salt = 0) =>
        FsCheck.Config.QuickThrowOnFailure
            .WithMaxTest(cases * Scale)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(Seed.Seed + salt, Seed.Gamma), FSharpOption<int>.None)));

    /// <summary>
    /// Checks the property on a thread-pool thread: FsCheck waits on asynchronous properties
    /// synchronously, which must not happen on xunit's test thread.
    /// </summary>
    public static async Task Check(string label, Property property, Config config)
    {
        try
        {
            await Task.Run(() => property.Check(config));
        }
        catch (Exception failure)
        {
            throw new Xunit.Sdk.XunitException(
                $"{label}: falsified. The whole suite replays with DISPATCH_FUZZ_SEED={Seed.Seed},{Seed.Gamma}.{Environment.NewLine}{failure.Message}",
                failure);
        }
    }

    private static (ulong, ulong) ParseSeed(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (DefaultSeed, DefaultGamma);
        }

        var parts = text.Trim('(', ')', ' ').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2
            ? (ulong.Parse(parts[0], CultureInfo.InvariantCulture), ulong.Parse(parts[1], CultureInfo.InvariantCulture))
            : (ulong.Parse(parts[0], CultureInfo.InvariantCulture), DefaultGamma);
    }
}
