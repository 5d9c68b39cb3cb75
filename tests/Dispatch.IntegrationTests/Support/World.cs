namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// A small hierarchy to test against: region r1 > county c1 > town t1 > communities m1, m2, and
/// town t2 > community m3; staff at t1 (scope m1, m2) and at m3; volunteers in each community.
/// </summary>
public sealed class World
{
    public const string Password = "password-1";

    private World(DispatchApp app, DispatchClient admin)
    {
        App = app;
        Admin = admin;
    }

    public DispatchApp App { get; }

    public DispatchClient Admin { get; }

    public static async Task<World> Create(DispatchApp app, int volunteersPerCommunity = 2)
    {
        var admin = await app.Admin();
        await Seed(admin, volunteersPerCommunity);
        return new World(app, admin);
    }

    /// <summary>Creates the places and accounts through <paramref name="admin"/> (on any kind of host).</summary>
    public static async Task Seed(DispatchClient admin, int volunteersPerCommunity = 2)
    {
        await admin.CreatePlace("r1", "region", null);
        await admin.CreatePlace("c1", "county", "r1");
        await admin.CreatePlace("t1", "town", "c1");
        await admin.CreatePlace("t2", "town", "c1");
        await admin.CreatePlace("m1", "community", "t1");
        await admin.CreatePlace("m2", "community", "t1");
        await admin.CreatePlace("m3", "community", "t2");
        await admin.CreateAccount("staff-t1", "staff", "t1");
        await admin.CreateAccount("staff-m3", "staff", "m3");
        foreach (var community in new[] { "m1", "m2", "m3" })
        {
            for (var i = 1; i <= volunteersPerCommunity; i++)
            {
                await admin.CreateAccount(Volunteer(community, i), "volunteer", community);
            }
        }
    }

    public static string Volunteer(string community, int number) => $"vol-{community}-{number}";

    public Task<DispatchClient> As(string username) => App.LoginAs(username, Password);
}
