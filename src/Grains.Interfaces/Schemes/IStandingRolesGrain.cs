using Dispatch.Common;
using Dispatch.Places;
using Orleans.Concurrency;

namespace Dispatch.Schemes;

/// <summary>A community's standing roles and their monthly run (<c>roles:{communityId}</c>).</summary>
public interface IStandingRolesGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<StandingRolesView> Get();

    /// <summary>Gives a volunteer of this community (the caller checked) a role from <paramref name="from"/>; a role they hold already is refused.</summary>
    Task<Outcome<StandingRole>> Assign(string username, string role, DateOnly from, Actor actor);

    /// <summary>Ends a role a volunteer holds, on <paramref name="on"/> (the last day held).</summary>
    Task<Outcome<StandingRole>> End(string username, string role, DateOnly on, Actor actor);

    /// <summary>
    /// Posts each role held in <paramref name="month"/> (its first day) once to its holder's ledger
    /// under the scheme in force on that day; run again, posts nothing more.
    /// </summary>
    Task<Outcome<StandingRoleRun>> Run(PlaceInfo community, DateOnly month, Actor actor);
}
