using System.CommandLine;
using Dispatch.Bench.Infrastructure;
using Dispatch.Bench.Scenarios;
using Dispatch.Bench.Servers;

namespace Dispatch.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Dispatch.Bench -- SCENARIO [options]</c>: each scenario
/// starts what it measures, drives it, checks the answers, prints a table and, with
/// <c>--json PATH</c>, writes a summary. <c>--help</c> lists every option.
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var json = new Option<string?>("--json") { Description = "Also write a machine-readable summary to this path." };
        var quick = new Option<bool>("--quick") { Description = "A small run (under a minute) for a first look and for CI." };

        var root = new RootCommand("Dispatch benchmarks: every figure beside a baseline measured in the same run.")
        {
            ClaimStormCommand(json, quick),
            ServeCommand(),
        };
        foreach (var scenario in ScenarioCommands.All(json, quick))
        {
            root.Subcommands.Add(scenario);
        }

        return await root.Parse(args).InvokeAsync();
    }

    private static Command ClaimStormCommand(Option<string?> json, Option<bool> quick)
    {
        var defaults = new ClaimStormOptions();
        var wishes = new Option<int>("--wishes") { Description = "Wishes stormed (measured).", DefaultValueFactory = _ => defaults.Wishes };
        var contenders = new Option<int>("--contenders") { Description = "Volunteers contending for each wish.", DefaultValueFactory = _ => defaults.Contenders };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent HTTP clients.", DefaultValueFactory = _ => defaults.Concurrency };
        var places = new Option<int>("--places") { Description = "Places per request (above 1 they are activities).", DefaultValueFactory = _ => defaults.Places };
        var order = new Option<AttemptOrder>("--order") { Description = "grouped: a wish's contenders arrive together; shuffled: all attempts in random order.", DefaultValueFactory = _ => defaults.Order };
        var target = new Option<DispatchTarget>("--target") { Description = "Dispatch's store: embedded (SQLite, the default) or postgres.", DefaultValueFactory = _ => defaults.Target };
        var connection = new Option<string?>("--baseline-connection")
        {
            Description = "PostgreSQL connection string of a role that may create databases; default: DISPATCH_TEST_POSTGRES, else the distribution's server via scripts/postgres.sh.",
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the attempt order.", DefaultValueFactory = _ => defaults.Seed };
        var settings = new Option<string[]>("--dispatch-setting")
        {
            Description = "A configuration value for Dispatch, KEY=VALUE as an environment variable (Dispatch__Telemetry__Prometheus=false); repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var perCommunity = new Option<int>("--wishes-per-community")
        {
            Description = "Wishes per community; each community has as many volunteers as there are contenders.",
            DefaultValueFactory = _ => defaults.WishesPerCommunity,
        };

        var shipped = new Option<bool>("--shipped-limits")
        {
            Description = "Dispatch only, with its claim limit and rate limits as shipped (not raised for speed): checks that the limits hold under the storm.",
        };

        var command = new Command("claim-storm", "W wishes × C contenders over HTTP: Dispatch vs an ASP.NET Core + PostgreSQL baseline vs the ceiling of HTTP and token validation.")
        {
            wishes, contenders, concurrency, places, order, target, connection, seed, perCommunity, settings, shipped, json, quick,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new ClaimStormOptions
            {
                Wishes = result.GetValue(wishes),
                Contenders = result.GetValue(contenders),
                Concurrency = result.GetValue(concurrency),
                Places = result.GetValue(places),
                Order = result.GetValue(order),
                Target = result.GetValue(target),
                BaselineConnection = result.GetValue(connection),
                Seed = result.GetValue(seed),
                WishesPerCommunity = result.GetValue(perCommunity),
                DispatchSettings = (result.GetValue(settings) ?? []).Select(ParseSetting).ToDictionary(),
                ShippedLimits = result.GetValue(shipped),
            };
            if (result.GetValue(quick))
            {
                options = ClaimStormOptions.Quick(options);
            }

            var summary = await ClaimStorm.RunAsync(options, cancellationToken);
            await Report.WriteJsonAsync(result.GetValue(json), summary);
            return ClaimStorm.IsCorrect(summary) ? 0 : 2;
        });
        return command;
    }

    private static KeyValuePair<string, string> ParseSetting(string setting) =>
        setting.Split('=', 2) is [{ Length: > 0 } key, var value]
            ? new(key, value)
            : throw new ArgumentException($"--dispatch-setting '{setting}' is not KEY=VALUE.");

    /// <summary>The comparison servers, run by the scenarios as child processes of this program.</summary>
    private static Command ServeCommand()
    {
        var kind = new Argument<string>("kind") { Description = "baseline | ceiling | hub" };
        var signingKey = new Option<string>("--signing-key") { Required = true };
        var connection = new Option<string?>("--connection");
        var urls = new Option<string>("--urls") { DefaultValueFactory = _ => "http://127.0.0.1:5090" };
        var command = new Command("serve", "Runs one of the comparison servers (used by the scenarios).") { kind, signingKey, connection, urls };
        command.Hidden = true;
        command.SetAction(async (result, cancellationToken) =>
        {
            var arguments = new[] { "--urls", result.GetValue(urls)! };
            var app = result.GetValue(kind) switch
            {
                "baseline" => BaselineServer.Build(arguments, result.GetValue(signingKey)!, result.GetValue(connection)
                    ?? throw new ArgumentException("The baseline needs --connection.")),
                "ceiling" => BaselineServer.Build(arguments, result.GetValue(signingKey)!, connectionString: null),
                var other => ScenarioCommands.Server(other ?? "", arguments, result.GetValue(signingKey)!)
                    ?? throw new ArgumentException($"No server '{other}'."),
            };
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
