using System.Collections.Immutable;
using Dispatch.Common;
using Orleans.Concurrency;

namespace Dispatch.Posts;

/// <summary>Who offers a declared service: a volunteer, or an organisation (a unit reporting in).</summary>
public enum ProviderKind
{
    Volunteer,
    Organisation,
}

/// <summary>A provider named for people to read: the kind, the username or organisation id, and the name shown.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PostProvider")]
public sealed record PostProvider(
    [property: Id(0)] ProviderKind Kind,
    [property: Id(1)] string Id,
    [property: Id(2)] string Name);

/// <summary>A service post (岗位) on a community's list: what kind of service it keeps ready.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ServicePost")]
public sealed record ServicePost(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description,
    [property: Id(3)] string CreatedBy,
    [property: Id(4)] DateTimeOffset CreatedAt);

/// <summary>A weekly time slot in China time: on <see cref="Day"/> from <see cref="From"/> up to <see cref="To"/>.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.WeeklySlot")]
public sealed record WeeklySlot(
    [property: Id(0)] DayOfWeek Day,
    [property: Id(1)] TimeOnly From,
    [property: Id(2)] TimeOnly To);

/// <summary>The days from <see cref="From"/> to <see cref="To"/>, both included (China time).</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.DayRange")]
public sealed record DayRange(
    [property: Id(0)] DateOnly From,
    [property: Id(1)] DateOnly To);

/// <summary>A post a provider means to take: which post, what they do in it, and when.</summary>
/// <param name="Dates">The days the declaration holds; empty: every day.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.DeclarationDraft")]
public sealed record DeclarationDraft(
    [property: Id(0)] Guid PostId,
    [property: Id(1)] string Description,
    [property: Id(2)] ImmutableArray<WeeklySlot> Slots,
    [property: Id(3)] ImmutableArray<DayRange> Dates);

/// <summary>A provider's declared service (服务岗位、服务内容和时间) in a community.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PostDeclaration")]
public sealed record PostDeclaration(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string CommunityId,
    [property: Id(2)] Guid PostId,
    [property: Id(3)] string PostName,
    [property: Id(4)] PostProvider Provider,
    [property: Id(5)] string Description,
    [property: Id(6)] ImmutableArray<WeeklySlot> Slots,
    [property: Id(7)] ImmutableArray<DayRange> Dates,
    [property: Id(8)] string DeclaredBy,
    [property: Id(9)] DateTimeOffset DeclaredAt);

/// <summary>A community's resource list: its posts, and the services declared against them.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.CommunityPostsView")]
public sealed record CommunityPostsView(
    string CommunityId,
    ImmutableArray<ServicePost> Posts,
    ImmutableArray<PostDeclaration> Declarations);

/// <summary>What one provider declares in one community.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProviderPostsView")]
public sealed record ProviderPostsView(
    string CommunityId,
    PostProvider Provider,
    ImmutableArray<PostDeclaration> Declarations);

/// <summary>The bounds of posts and declarations.</summary>
public static class PostLimits
{
    public const int MaxName = 40;
    public const int MaxDescription = 500;
    public const int MaxPosts = 100;
    public const int MaxDeclarations = 20;
    public const int MaxSlots = 28;
    public const int MaxDates = 12;
}

/// <summary>
/// One community's resource list (<c>posts:{communityId}</c>): the posts staff keep and the
/// services providers declare; each change is answered after it is stored.
/// </summary>
public interface IServicePostsGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<CommunityPostsView> Get();

    Task<Outcome<ServicePost>> AddPost(string name, string description, Actor actor);

    /// <summary>Takes a post off the list; refused while a provider still declares it.</summary>
    Task<Outcome<ServicePost>> RemovePost(Guid postId, Actor actor);

    /// <summary>Sets everything <paramref name="provider"/> declares in this community (an empty list withdraws them all).</summary>
    Task<Outcome<ProviderPostsView>> Declare(PostProvider provider, ImmutableArray<DeclarationDraft> drafts, Actor actor);
}

public static class PostKeys
{
    public const string Prefix = "posts:";

    public static string For(string communityId) => Prefix + communityId;
}
