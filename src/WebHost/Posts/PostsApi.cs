using System.Collections.Immutable;
using System.Globalization;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.Posts;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Posts;

/// <summary>A post for a community's list: its name, and what it is for.</summary>
public sealed record PostBody(string? Name, string? Description);

/// <summary>A weekly slot as sent: <c>{ "day": "saturday", "from": "09:00", "to": "11:30" }</c> (China time).</summary>
public sealed record SlotBody(string? Day, string? From, string? To);

/// <summary>Days from one to another, both included.</summary>
public sealed record DayRangeBody(DateOnly? From, DateOnly? To);

/// <summary>A post declared: which post of the community's list, what the provider does, and when.</summary>
public sealed record DeclarationBody(Guid? PostId, string? Description, ImmutableArray<SlotBody?>? Slots, ImmutableArray<DayRangeBody?>? Dates);

/// <summary>Everything a volunteer declares in their community (an empty list withdraws it all).</summary>
public sealed record DeclarationsBody(ImmutableArray<DeclarationBody?>? Declarations);

/// <summary>Everything an organisation declares in one of the communities it reports to.</summary>
public sealed record OrganisationDeclarationsBody(string? CommunityId, ImmutableArray<DeclarationBody?>? Declarations);

/// <summary>The resource list (服务岗位、服务内容和时间): a community's service posts, and the posts volunteers and organisations declare.</summary>
public static class PostsApi
{
    public static RouteGroupBuilder MapPostsApi(this RouteGroupBuilder api)
    {
        var places = api.MapGroup("/places").WithTags("Service posts");
        places.MapGet("/{id}/posts", GetPosts)
            .WithSummary("A community's service posts and the services declared against them (staff in scope, volunteers of the community).");
        places.MapPost("/{id}/posts", AddPost).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Add a service post (岗位) to a community's list: a name unique on the list, and what it is for (staff in scope).");
        places.MapDelete("/{id}/posts/{postId:guid}", RemovePost).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Take a post off a community's list (staff in scope); refused while a provider still declares it.");
        var volunteers = api.MapGroup("/volunteers").WithTags("Service posts");
        volunteers.MapGet("/{username}/posts", GetVolunteerPosts)
            .WithSummary("The posts a volunteer declares in their community: themselves, and staff in scope.");
        volunteers.MapPut("/{username}/posts", DeclareVolunteerPosts)
            .WithSummary("Set the posts a volunteer declares in their community, each with what they do and weekly time slots (themselves, or staff in scope).");
        var organisations = api.MapGroup("/organisations").WithTags("Service posts");
        organisations.MapPut("/{id}/posts", DeclareOrganisationPosts).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Set the posts an organisation declares in one of the communities it reports to (staff covering that community).");
        return api;
    }

    private static async Task<Results<Ok<CommunityPostsView>, ProblemHttpResult>> GetPosts(string id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.BrowsedPlace(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        return place.Kind != PlaceKind.Community
            ? Problems.NotFound("Community", id)
            : TypedResults.Ok(await call.Grains.GetGrain<IServicePostsGrain>(PostKeys.For(place.Id)).Get());
    }

    private static async Task<Results<Created<ServicePost>, ValidationProblem, ProblemHttpResult>> AddPost(
        string id, PostBody body, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors()
            .RequireText(body.Name, "name", PostLimits.MaxName)
            .RequireText(body.Description, "description", PostLimits.MaxDescription, required: false);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await Community(id, call);
        if (found.Value is not { } community)
        {
            return Problems.From(found.Failure!);
        }

        var added = await call.Grains.GetGrain<IServicePostsGrain>(PostKeys.For(community.Id))
            .AddPost(body.Name!, body.Description ?? "", call.Caller.Actor);
        return added.Value is { } post
            ? TypedResults.Created($"/api/places/{Uri.EscapeDataString(community.Id)}/posts", post)
            : Problems.From(added.Failure!);
    }

    private static async Task<Results<Ok<ServicePost>, ProblemHttpResult>> RemovePost(string id, Guid postId, [AsParameters] CallContext call)
    {
        var found = await Community(id, call);
        if (found.Value is not { } community)
        {
            return Problems.From(found.Failure!);
        }

        var removed = await call.Grains.GetGrain<IServicePostsGrain>(PostKeys.For(community.Id)).RemovePost(postId, call.Caller.Actor);
        return removed.Value is { } post ? TypedResults.Ok(post) : Problems.From(removed.Failure!);
    }

    private static async Task<Results<Ok<ProviderPostsView>, ProblemHttpResult>> GetVolunteerPosts(
        string username, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Volunteer(call.Caller, username);
        if (found.Value is not { } volunteer)
        {
            return Problems.From(found.Failure!);
        }

        var posts = await call.Grains.GetGrain<IServicePostsGrain>(PostKeys.For(volunteer.CommunityId)).Get();
        var provider = new PostProvider(ProviderKind.Volunteer, volunteer.Username, volunteer.DisplayName);
        return TypedResults.Ok(new ProviderPostsView(volunteer.CommunityId, provider,
            [.. posts.Declarations.Where(d => d.Provider.Kind == ProviderKind.Volunteer && d.Provider.Id == volunteer.Username)]));
    }

    private static async Task<Results<Ok<ProviderPostsView>, ValidationProblem, ProblemHttpResult>> DeclareVolunteerPosts(
        string username, DeclarationsBody body, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors();
        var drafts = Drafts(body.Declarations, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Volunteer(call.Caller, username);
        if (found.Value is not { } volunteer)
        {
            return Problems.From(found.Failure!);
        }

        var provider = new PostProvider(ProviderKind.Volunteer, volunteer.Username, volunteer.DisplayName);
        var declared = await call.Grains.GetGrain<IServicePostsGrain>(PostKeys.For(volunteer.CommunityId)).Declare(provider, drafts, call.Caller.Actor);
        return declared.Value is { } view ? TypedResults.Ok(view) : Problems.From(declared.Failure!);
    }

    private static async Task<Results<Ok<ProviderPostsView>, ValidationProblem, ProblemHttpResult>> DeclareOrganisationPosts(
        string id, OrganisationDeclarationsBody body, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors().Require(!string.IsNullOrWhiteSpace(body.CommunityId), "communityId", "'communityId' is required: the community the organisation serves in.");
        var drafts = Drafts(body.Declarations, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Organisation(call.Caller, id);
        if (found.Value is not { } organisation)
        {
            return Problems.From(found.Failure!);
        }

        if (!organisation.ReportsTo(body.CommunityId!))
        {
            return Problems.From(Failure.Invalid("communityId", $"{organisation.Name} does not report to '{body.CommunityId}'."));
        }

        var community = await call.Scope.Community(call.Caller, body.CommunityId!);
        if (community.Value is not { } place)
        {
            return Problems.From(community.Failure!);
        }

        var provider = new PostProvider(ProviderKind.Organisation, organisation.Id, organisation.Name);
        var declared = await call.Grains.GetGrain<IServicePostsGrain>(PostKeys.For(place.Id)).Declare(provider, drafts, call.Caller.Actor);
        return declared.Value is { } view ? TypedResults.Ok(view) : Problems.From(declared.Failure!);
    }

    /// <summary>A community the caller covers; another kind of place is not found as a community.</summary>
    private static async Task<Outcome<PlaceInfo>> Community(string id, CallContext call)
    {
        var found = await call.Scope.Place(call.Caller, id);
        return found.Value is { Kind: not PlaceKind.Community } ? Failure.NotFound("Community", id) : found;
    }

    /// <summary>The declarations as sent, their shape checked (the posts grain checks them against the list).</summary>
    private static ImmutableArray<DeclarationDraft> Drafts(ImmutableArray<DeclarationBody?>? declarations, ValidationErrors errors)
    {
        if (declarations is not { } list)
        {
            errors.Add("declarations", "'declarations' is required (an empty list withdraws every post).");
            return [];
        }

        var drafts = ImmutableArray.CreateBuilder<DeclarationDraft>(list.Length);
        for (var i = 0; i < list.Length; i++)
        {
            var field = $"declarations[{i}]";
            if (list[i] is not { } declaration)
            {
                errors.Add(field, "A declaration may not be null.");
                continue;
            }

            errors.Require(declaration.PostId is not null, $"{field}.postId", "'postId' is required: a post from the community's list.")
                .RequireText(declaration.Description, $"{field}.description", PostLimits.MaxDescription);
            var slots = ImmutableArray.CreateBuilder<WeeklySlot>();
            var sentSlots = declaration.Slots ?? [];
            errors.Require(sentSlots.Length > 0, $"{field}.slots", "Give at least one weekly time slot.");
            for (var s = 0; s < sentSlots.Length; s++)
            {
                if (Slot(sentSlots[s], $"{field}.slots[{s}]", errors) is { } slot)
                {
                    slots.Add(slot);
                }
            }

            var dates = ImmutableArray.CreateBuilder<DayRange>();
            var sentDates = declaration.Dates ?? [];
            for (var r = 0; r < sentDates.Length; r++)
            {
                var rangeField = $"{field}.dates[{r}]";
                if (sentDates[r] is { From: { } from, To: { } to })
                {
                    dates.Add(new DayRange(from, to));
                }
                else
                {
                    errors.Add(rangeField, "A date range needs 'from' and 'to' (yyyy-MM-dd).");
                }
            }

            drafts.Add(new DeclarationDraft(declaration.PostId ?? Guid.Empty, declaration.Description ?? "", slots.ToImmutable(), dates.ToImmutable()));
        }

        return drafts.ToImmutable();
    }

    private static WeeklySlot? Slot(SlotBody? body, string field, ValidationErrors errors)
    {
        if (body is null)
        {
            errors.Add(field, "A slot may not be null.");
            return null;
        }

        var dayValid = body.Day is { } day && !int.TryParse(day, out _) && Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out _);
        errors.Require(dayValid, $"{field}.day", "'day' must be a day of the week: monday to sunday.");
        var from = Time(body.From, $"{field}.from", errors);
        var to = Time(body.To, $"{field}.to", errors);
        return dayValid && from is not null && to is not null
            ? new WeeklySlot(Enum.Parse<DayOfWeek>(body.Day!, ignoreCase: true), from.Value, to.Value)
            : null;
    }

    private static TimeOnly? Time(string? value, string field, ValidationErrors errors)
    {
        if (TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add(field, $"'{field.Split('.')[^1]}' must be a time of day: HH:mm.");
        return null;
    }
}
