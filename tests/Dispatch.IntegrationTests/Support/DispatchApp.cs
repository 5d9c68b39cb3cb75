using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.Reminders;
using Orleans.TestingHost;

namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// The real web host with its co-hosted silo and SQLite store, in memory over TestServer, on a
/// data folder of the test's choosing (so a second instance can reopen the first one's data).
/// </summary>
public sealed class DispatchApp(
    string dataDir,
    IReadOnlyDictionary<string, string?>? settings = null,
    FakeTimeProvider? clock = null,
    Action<IWebHostBuilder>? configure = null) : WebApplicationFactory<Program>
{
    public const string AdminPassword = "admin-password-for-tests";

    public string DataDir { get; } = dataDir;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Dispatch:DataDir", DataDir);
        builder.UseSetting("Dispatch:Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("Dispatch:Orleans:SiloPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Dispatch:Orleans:GatewayPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");

        // Tests sign the same seeded accounts in many times a minute, on clocks that may stand still.
        builder.UseSetting("Dispatch:Auth:SignInsPerMinute", "10000");

        // Every in-process client shares one address; the tests of that limit set their own.
        builder.UseSetting("Dispatch:RateLimits:Open311ReadsPerAddress:Burst", "1000000");
        builder.UseSetting("Dispatch:RateLimits:Open311ReadsPerAddress:Refill", "1000000");

        // The sign-in bucket refills on the host's clock, which a journey world's fake clock barely
        // moves: its many journeys together sign in more than the default burst of 300.
        builder.UseSetting("Dispatch:RateLimits:TokenPerAddress:Burst", "1000000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            // Password hashing is deliberately slow; tests create hundreds of accounts.
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000);

            if (clock is not null)
            {
                // The host, its grains, timers and reminders on the test's clock; the silo's upkeep on real time.
                services.AddSingleton<TimeProvider>(clock);
                services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
                services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, clock);
            }
        });
        // Every host is watched for a beneficiary's contact in its logs, at Debug whatever the levels above.
        builder.ConfigureLogging(logging => logging
            .AddProvider(new ContactSentinel.Provider())
            .AddFilter<ContactSentinel.Provider>(category: null, LogLevel.Debug));
        configure?.Invoke(builder);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        ContactSentinel.ThrowIfSighted();
    }

    public DispatchClient Anonymous() => new(CreateClient());

    public async Task<DispatchClient> Admin() => await LoginAs("admin", AdminPassword);

    public async Task<DispatchClient> LoginAs(string username, string password)
    {
        var client = Anonymous();
        await client.Login(username, password);
        return client;
    }
}
