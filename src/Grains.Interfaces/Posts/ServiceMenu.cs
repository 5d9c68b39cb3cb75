using System.Collections.Immutable;
using System.Globalization;
using Dispatch.Common;

namespace Dispatch.Posts;

/// <summary>
/// A community's menu (菜单式服务): the services its volunteers and organisations declared against
/// its posts, as staff pick from them for a beneficiary. Plain rules over the resource list.
/// </summary>
public static class ServiceMenu
{
    /// <summary>The reason an organisation's service cannot be ordered: offers go to one volunteer.</summary>
    public const string NotOfferableReason = "notOfferable";

    /// <summary>The reason an order finds its volunteer outside the community's candidates (moved, disabled).</summary>
    public const string NotACandidateReason = "notACandidate";

    private static readonly StringComparer ByName = StringComparer.Create(CultureInfo.GetCultureInfo("zh-CN"), ignoreCase: true);

    /// <summary>Every declared service, by post name then by provider name.</summary>
    public static ImmutableArray<PostDeclaration> Items(CommunityPostsView posts) =>
        [.. posts.Declarations.OrderBy(d => d.PostName, ByName).ThenBy(d => d.Provider.Name, ByName).ThenBy(d => d.Id)];

    /// <summary>
    /// The item <paramref name="itemId"/> of the menu if it may be ordered: 404 when no provider
    /// declares it (any more), 409 <see cref="NotOfferableReason"/> for an organisation's service.
    /// </summary>
    public static Outcome<PostDeclaration> Orderable(CommunityPostsView posts, Guid itemId) =>
        posts.Declarations.FirstOrDefault(d => d.Id == itemId) is not { } item ? Failure.NotFound("Menu item", itemId.ToString())
        : item.Provider.Kind != ProviderKind.Volunteer
            ? Failure.Conflict(NotOfferableReason, $"'{item.Provider.Name}' is an organisation: its members claim its work for it, it cannot be offered one person's countdown.")
        : item;

    /// <summary>
    /// Why an order's offer was refused, as the order's answer: a volunteer outside the candidates is
    /// no field of the order (409 <see cref="NotACandidateReason"/>); other refusals stand as they are.
    /// </summary>
    public static Failure OfferRefusal(Failure refused, PostDeclaration item) =>
        refused is { Kind: FailureKind.Invalid, Field: "volunteer" }
            ? Failure.Conflict(NotACandidateReason, $"'{item.Provider.Name}' is no longer a volunteer of this community who could be offered it.")
            : refused;
}
