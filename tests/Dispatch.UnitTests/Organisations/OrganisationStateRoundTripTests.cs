using Dispatch.Organisations;
using Dispatch.UnitTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Dispatch.UnitTests.Organisations;

/// <summary>The organisation grain's state through the storage serializer the silo uses: everything comes back.</summary>
public sealed class OrganisationStateRoundTripTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(OrganisationGrain).Assembly))
        .BuildServiceProvider();

    public void Dispose() => services.Dispose();

    [Fact]
    public void An_organisation_comes_back_with_its_communities_and_members_in_order()
    {
        var organisation = OrganisationRules.Create(
            new NewOrganisation("power-supply", "County Power Supply", [Given.OtherCommunityId, Given.CommunityId]), "staff.li", Given.Morning);
        organisation = OrganisationRules.WithMember(OrganisationRules.WithMember(organisation, "wang"), "li.na");
        var storage = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());

        var restored = storage.Deserialize<OrganisationGrain.State>(storage.Serialize(new OrganisationGrain.State { Organisation = organisation }))?.Organisation;

        Assert.NotNull(restored);
        Assert.Equal(
            (organisation.Id, organisation.Name, organisation.CreatedBy, organisation.CreatedAt),
            (restored.Id, restored.Name, restored.CreatedBy, restored.CreatedAt));
        Assert.Equal<string>([Given.OtherCommunityId, Given.CommunityId], restored.CommunityIds);
        Assert.Equal<string>(["wang", "li.na"], restored.Members);
        Assert.True(restored.HasMember("li.na"));
    }

    [Fact]
    public void An_empty_state_comes_back_empty()
    {
        var storage = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());

        var restored = storage.Deserialize<OrganisationGrain.State>(storage.Serialize(new OrganisationGrain.State()));

        Assert.NotNull(restored);
        Assert.Null(restored.Organisation);
    }
}
