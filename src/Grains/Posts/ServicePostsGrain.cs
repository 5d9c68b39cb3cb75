using System.Collections.Immutable;
using Dispatch.Common;
using Microsoft.Extensions.Logging;

namespace Dispatch.Posts;

/// <summary>Holds one community's <see cref="ServicePosts"/>; each change is stored before it is answered.</summary>
public sealed partial class ServicePostsGrain(
    [PersistentState("posts", StorageNames.Dispatch)] IPersistentState<ServicePostsGrain.State> state,
    TimeProvider time,
    ILogger<ServicePostsGrain> logger) : Grain, IServicePostsGrain
{
    private ServicePosts Posts => state.State.Posts ??= ServicePosts.For(GrainKeys.IdOf(this.GetPrimaryKeyString(), PostKeys.Prefix));

    public Task<CommunityPostsView> Get() => Task.FromResult(Posts.ToView());

    public async Task<Outcome<ServicePost>> AddPost(string name, string description, Actor actor)
    {
        var added = Posts.AddPost(Guid.NewGuid(), name, description, actor.Username, time.GetUtcNow());
        if (added.Value is { } post)
        {
            await state.WriteOrReloadAsync(this);
            LogPostAdded(Posts.CommunityId, post.Name, actor.Username);
        }

        return added;
    }

    public async Task<Outcome<ServicePost>> RemovePost(Guid postId, Actor actor)
    {
        var removed = Posts.RemovePost(postId);
        if (removed.Value is { } post)
        {
            await state.WriteOrReloadAsync(this);
            LogPostRemoved(Posts.CommunityId, post.Name, actor.Username);
        }

        return removed;
    }

    public async Task<Outcome<ProviderPostsView>> Declare(PostProvider provider, ImmutableArray<DeclarationDraft> drafts, Actor actor)
    {
        var declared = Posts.Declare(provider, drafts, actor.Username, time.GetUtcNow(), Guid.NewGuid);
        if (declared.Failure is null)
        {
            await state.WriteOrReloadAsync(this);
            LogDeclared(Posts.CommunityId, provider.Kind, provider.Id, drafts.Length, actor.Username);
        }

        return declared;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Posts of {CommunityId}: '{Post}' added by {Actor}")]
    private partial void LogPostAdded(string communityId, string post, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Posts of {CommunityId}: '{Post}' removed by {Actor}")]
    private partial void LogPostRemoved(string communityId, string post, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Posts of {CommunityId}: {Kind} {Provider} declares {Count} posts, set by {Actor}")]
    private partial void LogDeclared(string communityId, ProviderKind kind, string provider, int count, string actor);

    [GenerateSerializer, Alias("Dispatch.ServicePostsGrain.State")]
    public sealed class State
    {
        [Id(0)] public ServicePosts? Posts { get; set; }
    }
}
