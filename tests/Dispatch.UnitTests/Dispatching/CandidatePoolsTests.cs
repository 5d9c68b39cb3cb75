using Dispatch.Dispatching;
using Dispatch.Places;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Dispatching;

/// <summary>Which place's volunteers are ranked: the community, or its town once the request has escalated.</summary>
public sealed class CandidatePoolsTests
{
    private static PlaceInfo Community(params string[] path) =>
        new(path[^1], "Hongqi", PlaceKind.Community, path.Length > 1 ? path[^2] : null, [.. path], [], Given.Morning);

    [Fact]
    public void A_request_at_its_community_draws_on_the_community()
    {
        Assert.Equal("m", CandidatePools.PoolPlaceId(0, Community("r", "c", "t", "m"), Given.Admin));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void An_escalated_request_draws_on_the_town(int level)
    {
        Assert.Equal("t", CandidatePools.PoolPlaceId(level, Community("r", "c", "t", "m"), Given.Admin));
    }

    [Fact]
    public void A_community_with_no_parent_stays_its_own_pool()
    {
        Assert.Equal("m", CandidatePools.PoolPlaceId(2, Community("m"), Given.Admin));
    }

    [Theory]
    [InlineData("t", "t")]
    [InlineData("c", "t")]
    [InlineData("r", "t")]
    [InlineData("m", "m")]
    [InlineData("elsewhere", "m")]
    public void An_escalated_requests_town_pool_is_shown_only_to_staff_at_the_town_or_above(string staffPlace, string pool) =>
        Assert.Equal(pool, CandidatePools.PoolPlaceId(1, Community("r", "c", "t", "m"), new Dispatch.Common.Actor("staff", Dispatch.Common.AccountRole.Staff, staffPlace)));

    [Fact]
    public void Staff_whose_place_is_not_known_see_only_the_community() =>
        Assert.Equal("m", CandidatePools.PoolPlaceId(2, Community("r", "c", "t", "m"), new Dispatch.Common.Actor("staff", Dispatch.Common.AccountRole.Staff)));
}
