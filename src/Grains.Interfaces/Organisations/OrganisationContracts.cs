using System.Collections.Immutable;

namespace Dispatch.Organisations;

/// <summary>A co-building unit (双报到单位) registered with one or more communities.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.NewOrganisation")]
public sealed record NewOrganisation(string Id, string Name, ImmutableArray<string> CommunityIds);

[GenerateSerializer, Immutable, Alias("Dispatch.OrganisationView")]
public sealed record OrganisationView(
    string Id,
    string Name,
    ImmutableArray<string> CommunityIds,
    ImmutableArray<string> Members,
    string CreatedBy,
    DateTimeOffset CreatedAt)
{
    public bool HasMember(string username) => Members.Contains(username, StringComparer.Ordinal);

    public bool ReportsTo(string communityId) => CommunityIds.Contains(communityId, StringComparer.Ordinal);
}
