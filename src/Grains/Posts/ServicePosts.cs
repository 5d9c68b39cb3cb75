using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Posts;

/// <summary>
/// One community's resource list as plain C#: the posts staff keep (names unique on the list) and
/// the services providers declare against them, each naming a post on the list, what the provider
/// does and when. A provider's declarations are set as a whole, so withdrawing one is declaring
/// the rest. The posts grain holds one.
/// </summary>
[GenerateSerializer, Alias("Dispatch.ServicePosts")]
public sealed class ServicePosts
{
    [Id(0)] public string CommunityId { get; private set; } = "";
    [Id(1)] public ImmutableArray<ServicePost> Posts { get; private set; } = [];
    [Id(2)] public ImmutableArray<PostDeclaration> Declarations { get; private set; } = [];

    public static ServicePosts For(string communityId) => new() { CommunityId = communityId };

    public CommunityPostsView ToView() => new(CommunityId, Posts, Declarations);

    public Outcome<ServicePost> AddPost(Guid id, string name, string description, string by, DateTimeOffset now)
    {
        name = name.Trim();
        if (name.Length is 0 or > PostLimits.MaxName)
        {
            return Failure.Invalid("name", $"'name' must be 1 to {PostLimits.MaxName} characters.");
        }

        if (description.Length > PostLimits.MaxDescription)
        {
            return Failure.Invalid("description", $"'description' must be at most {PostLimits.MaxDescription} characters.");
        }

        if (Posts.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            return new Failure(FailureKind.Conflict, "postExists", $"The community already has a post named '{name}'.", "name");
        }

        if (Posts.Length >= PostLimits.MaxPosts)
        {
            return Failure.Conflict("tooManyPosts", $"A community keeps at most {PostLimits.MaxPosts} posts.");
        }

        var post = new ServicePost(id, name, description.Trim(), by, now);
        Posts = Posts.Add(post);
        return post;
    }

    public Outcome<ServicePost> RemovePost(Guid postId)
    {
        if (Posts.FirstOrDefault(p => p.Id == postId) is not { } post)
        {
            return Failure.NotFound("Post", postId.ToString());
        }

        if (Declarations.Any(d => d.PostId == postId))
        {
            return Failure.Conflict("postDeclared", $"Providers still declare '{post.Name}': they withdraw it first.");
        }

        Posts = Posts.Remove(post);
        return post;
    }

    /// <summary>
    /// Replaces everything <paramref name="provider"/> declares here with <paramref name="drafts"/>:
    /// each must name a post on the list (once), say what the provider does, and give at least one
    /// weekly slot; slots end after they start and date ranges do not end before they start. A
    /// failure names the field as <c>declarations[i].…</c> and changes nothing.
    /// </summary>
    public Outcome<ProviderPostsView> Declare(
        PostProvider provider, ImmutableArray<DeclarationDraft> drafts, string by, DateTimeOffset now, Func<Guid> newId)
    {
        if (drafts.Length > PostLimits.MaxDeclarations)
        {
            return Failure.Invalid("declarations", $"At most {PostLimits.MaxDeclarations} declarations.");
        }

        var declared = ImmutableArray.CreateBuilder<PostDeclaration>(drafts.Length);
        for (var i = 0; i < drafts.Length; i++)
        {
            var draft = drafts[i];
            var field = $"declarations[{i}]";
            if (Posts.FirstOrDefault(p => p.Id == draft.PostId) is not { } post)
            {
                return Failure.Invalid($"{field}.postId", $"'{draft.PostId}' is not a post on this community's list.");
            }

            if (declared.Any(d => d.PostId == post.Id))
            {
                return Failure.Invalid($"{field}.postId", $"'{post.Name}' is declared twice.");
            }

            var description = draft.Description.Trim();
            if (description.Length is 0 or > PostLimits.MaxDescription)
            {
                return Failure.Invalid($"{field}.description", $"'description' must be 1 to {PostLimits.MaxDescription} characters: what you do in this post.");
            }

            if (draft.Slots.IsDefaultOrEmpty || draft.Slots.Length > PostLimits.MaxSlots)
            {
                return Failure.Invalid($"{field}.slots", $"Give 1 to {PostLimits.MaxSlots} weekly time slots.");
            }

            for (var s = 0; s < draft.Slots.Length; s++)
            {
                if (ServiceAvailability.Problem(draft.Slots[s]) is { } problem)
                {
                    return Failure.Invalid($"{field}.slots[{s}]", problem);
                }
            }

            var dates = draft.Dates.IsDefault ? [] : draft.Dates;
            if (dates.Length > PostLimits.MaxDates)
            {
                return Failure.Invalid($"{field}.dates", $"At most {PostLimits.MaxDates} date ranges.");
            }

            for (var r = 0; r < dates.Length; r++)
            {
                if (ServiceAvailability.Problem(dates[r]) is { } problem)
                {
                    return Failure.Invalid($"{field}.dates[{r}]", problem);
                }
            }

            // A declaration kept as it was keeps its id, so that a menu entry stays the same entry.
            var kept = Declarations.FirstOrDefault(d => d.Provider.Kind == provider.Kind && d.Provider.Id == provider.Id && d.PostId == post.Id);
            declared.Add(new PostDeclaration(kept?.Id ?? newId(), CommunityId, post.Id, post.Name, provider, description,
                [.. draft.Slots.OrderBy(s => s.Day).ThenBy(s => s.From)], [.. dates.OrderBy(d => d.From)], by, now));
        }

        var result = declared.ToImmutable();
        Declarations = [.. Declarations.Where(d => !(d.Provider.Kind == provider.Kind && d.Provider.Id == provider.Id)), .. result];
        return new ProviderPostsView(CommunityId, provider, result);
    }

    /// <summary>What <paramref name="provider"/> declares here.</summary>
    public ProviderPostsView Of(PostProvider provider) =>
        new(CommunityId, provider, [.. Declarations.Where(d => d.Provider.Kind == provider.Kind && d.Provider.Id == provider.Id)]);
}
