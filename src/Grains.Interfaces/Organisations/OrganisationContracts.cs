using System.Collections.Immutable;

namespace Dispatch.Organisations;

/// <summary>What an organisation is: a co-building unit, or a department that suggestions are handed to.</summary>
public enum OrganisationKind
{
    /// <summary>A co-building unit (双报到单位) whose members serve in the communities.</summary>
    Unit,

    /// <summary>A department (住房保障中心, a hospital…) that answers representatives' suggestions handed to it (集中交办).</summary>
    Department,
}

/// <summary>A co-building unit (双报到单位) or a department, registered with one or more communities.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.NewOrganisation")]
public sealed record NewOrganisation(string Id, string Name, ImmutableArray<string> CommunityIds, OrganisationKind Kind = OrganisationKind.Unit);

[GenerateSerializer, Immutable, Alias("Dispatch.OrganisationView")]
public sealed record OrganisationView(
    string Id,
    string Name,
    ImmutableArray<string> CommunityIds,
    ImmutableArray<string> Members,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    OrganisationKind Kind = OrganisationKind.Unit)
{
    public bool HasMember(string username) => Members.Contains(username, StringComparer.Ordinal);

    public bool ReportsTo(string communityId) => CommunityIds.Contains(communityId, StringComparer.Ordinal);
}
