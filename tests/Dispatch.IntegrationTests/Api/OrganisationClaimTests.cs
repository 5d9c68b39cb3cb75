using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Organisations;
using Dispatch.Points;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Claims of several places at once by a member on behalf of their organisation: all or nothing,
/// who may make them, bad input, and the race against individual volunteers for the same places.
/// </summary>
public sealed class OrganisationClaimTests(WorldFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<WorldFixture>
{
    private static int counter;

    private World World => fixture.World;

    [Fact]
    public async Task An_organisation_claims_all_the_places_it_asks_for_or_none()
    {
        var community = await NewCommunity();
        var (organisation, member) = await NewOrganisation(community);
        var first = await NewVolunteer(community);
        var second = await NewVolunteer(community);
        using var staff = await World.As("staff-t1");
        var activity = await CreateActivity(staff, community, places: 5);
        using var memberClient = await World.As(member);
        await (await World.As(first)).PostOk<RequestView>($"/api/requests/{activity.Id}/claim");
        await (await World.As(second)).PostOk<RequestView>($"/api/requests/{activity.Id}/claim");

        var tooMany = await DispatchClient.Problem(
            await memberClient.Post($"/api/requests/{activity.Id}/claim", new { organisationId = organisation, places = 4 }), HttpStatusCode.Conflict);
        Assert.Equal("notEnoughPlaces", tooMany["reason"]!.GetValue<string>());
        var untouched = await staff.GetOk<RequestView>($"/api/requests/{activity.Id}");
        Assert.Equal((3, 3), (untouched.Version, untouched.FreePlaces));
        Assert.Equal<string>([first, second], untouched.Claimants);

        var won = await memberClient.PostOk<RequestView>($"/api/requests/{activity.Id}/claim", new { organisationId = organisation, places = 3 });

        Assert.Equal(RequestStatus.Claimed, won.Status);
        Assert.Equal(0, won.FreePlaces);
        Assert.Equal<string>([first, second, member], won.Claimants);
        var claim = Assert.Single(won.Claims, c => c.Volunteer == member);
        Assert.Equal((organisation, 3), (claim.OrganisationId, claim.PlaceCount));
        Assert.Null(won.CheckInCode);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{activity.Id}/history");
        Assert.Equal((RequestAction.Claimed, member), (history[^1].Action, history[^1].Actor));
        Assert.Contains(organisation, history[^1].Note, StringComparison.Ordinal);

        // Full: another member, for the same organisation or alone, gets a definite no.
        var other = await NewVolunteer(community);
        await staff.PostOk<OrganisationView>($"/api/organisations/{organisation}/members", new { username = other });
        using var otherClient = await World.As(other);
        Assert.Equal("full", await Reason(otherClient.Post($"/api/requests/{activity.Id}/claim", new { organisationId = organisation, places = 1 }), HttpStatusCode.Conflict));
        Assert.Equal("full", await Reason(otherClient.Post($"/api/requests/{activity.Id}/claim"), HttpStatusCode.Conflict));
        Assert.Equal("alreadyClaimed", await Reason(memberClient.Post($"/api/requests/{activity.Id}/claim", new { organisationId = organisation, places = 1 }), HttpStatusCode.Conflict));

        // Released, the organisation's places are all free again.
        var released = await memberClient.PostOk<RequestView>($"/api/requests/{activity.Id}/release");
        Assert.Equal((RequestStatus.Open, 3), (released.Status, released.FreePlaces));
        Assert.Equal<string>([first, second], released.Claimants);
    }

    [Fact]
    public async Task An_organisation_may_take_every_place_of_an_activity_or_the_one_place_of_a_wish()
    {
        var community = await NewCommunity();
        var (organisation, member) = await NewOrganisation(community);
        using var staff = await World.As("staff-t1");
        using var memberClient = await World.As(member);

        var activity = await CreateActivity(staff, community, places: 4);
        var all = await memberClient.PostOk<RequestView>($"/api/requests/{activity.Id}/claim", new { organisationId = organisation, places = 4 });
        Assert.Equal((RequestStatus.Claimed, 0), (all.Status, all.FreePlaces));

        var wish = await CreateActivity(staff, community, places: 1, kind: "wish");
        Assert.Equal("notEnoughPlaces", await Reason(memberClient.Post($"/api/requests/{wish.Id}/claim", new { organisationId = organisation, places = 2 }), HttpStatusCode.Conflict));
        var one = await memberClient.PostOk<RequestView>($"/api/requests/{wish.Id}/claim", new { organisationId = organisation });
        Assert.Equal(RequestStatus.Claimed, one.Status);
        Assert.Equal((organisation, 1), (one.Claims[0].OrganisationId, one.Claims[0].PlaceCount));
    }

    [Fact]
    public async Task A_pending_offer_leaves_the_other_places_to_an_organisation_claim()
    {
        var community = await NewCommunity();
        var (organisation, member) = await NewOrganisation(community);
        var offered = await NewVolunteer(community);
        using var staff = await World.As("staff-t1");
        var activity = await CreateActivity(staff, community, places: 4);
        await staff.PostOk<RequestView>($"/api/requests/{activity.Id}/dispatch", new { volunteer = offered });
        using var memberClient = await World.As(member);

        Assert.Equal("notEnoughPlaces", await Reason(memberClient.Post($"/api/requests/{activity.Id}/claim", new { organisationId = organisation, places = 4 }), HttpStatusCode.Conflict));
        var won = await memberClient.PostOk<RequestView>($"/api/requests/{activity.Id}/claim", new { organisationId = organisation, places = 3 });
        Assert.Equal((RequestStatus.Open, 0, offered), (won.Status, won.FreePlaces, won.Offer?.Volunteer));
        using var late = await World.As(await NewVolunteer(community));
        Assert.Equal("reserved", await Reason(late.Post($"/api/requests/{activity.Id}/claim"), HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task An_offered_member_who_claims_for_the_organisation_gets_the_places_asked_for_on_its_behalf()
    {
        var community = await NewCommunity();
        var (organisation, member) = await NewOrganisation(community);
        using var staff = await World.As("staff-t1");
        var activity = await CreateActivity(staff, community, places: 3);
        await staff.PostOk<RequestView>($"/api/requests/{activity.Id}/dispatch", new { volunteer = member });
        using var memberClient = await World.As(member);

        var response = await memberClient.Post($"/api/requests/{activity.Id}/claim", new { organisationId = organisation, places = 3 });

        // Either the organisation holds the three places it asked for, or the claim is refused; a
        // 200 that quietly claimed one place for the member alone is neither.
        var view = await staff.GetOk<RequestView>($"/api/requests/{activity.Id}");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var claim = Assert.Single(view.Claims);
            Assert.Equal((member, organisation, 3), (claim.Volunteer, claim.OrganisationId, claim.PlaceCount));
            Assert.Equal(RequestStatus.Claimed, view.Status);
        }
        else
        {
            await DispatchClient.Problem(response, HttpStatusCode.Conflict);
            Assert.Empty(view.Claims);
        }
    }

    [Fact]
    public async Task A_member_claims_for_the_organisation_in_another_community_it_reports_to()
    {
        var home = await NewCommunity();
        var served = await NewCommunity();
        var (organisation, member) = await NewOrganisation(home, served);
        using var staff = await World.As("staff-t1");
        var activity = await CreateActivity(staff, served, places: 3);
        using var memberClient = await World.As(member);

        // Alone the member may not claim there; for the organisation they may.
        Assert.Equal("outsideCommunity", await Reason(memberClient.Post($"/api/requests/{activity.Id}/claim"), HttpStatusCode.Forbidden));
        var won = await memberClient.PostOk<RequestView>($"/api/requests/{activity.Id}/claim", new { organisationId = organisation, places = 2 });

        Assert.Equal<string>([member], won.Claimants);
        Assert.Equal(1, won.FreePlaces);
        Assert.Equal("Xiao Ming", (await memberClient.GetOk<RequestView>($"/api/requests/{activity.Id}")).Beneficiary?.Name);
    }

    [Fact]
    public async Task Claims_for_an_organisation_are_refused_to_non_members_and_outside_its_communities()
    {
        var community = await NewCommunity();
        var elsewhere = await NewCommunity();
        var (organisation, member) = await NewOrganisation(community);
        var outsider = await NewVolunteer(community);
        using var staff = await World.As("staff-t1");
        var activity = await CreateActivity(staff, community, places: 3);
        var farActivity = await CreateActivity(staff, elsewhere, places: 3);

        using var outsiderClient = await World.As(outsider);
        Assert.Equal("notMember", await Reason(outsiderClient.Post($"/api/requests/{activity.Id}/claim", new { organisationId = organisation, places = 2 }), HttpStatusCode.Forbidden));
        using var memberClient = await World.As(member);
        Assert.Equal("outsideCommunity", await Reason(memberClient.Post($"/api/requests/{farActivity.Id}/claim", new { organisationId = organisation, places = 2 }), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(memberClient.Post($"/api/requests/{Guid.NewGuid()}/claim", new { organisationId = organisation, places = 2 }), HttpStatusCode.NotFound));
        await DispatchClient.Problem(await staff.Post($"/api/requests/{activity.Id}/claim", new { organisationId = organisation, places = 2 }), HttpStatusCode.Forbidden);

        foreach (var id in new[] { activity.Id, farActivity.Id })
        {
            var view = await staff.GetOk<RequestView>($"/api/requests/{id}");
            Assert.Empty(view.Claims);
            Assert.Equal(1, view.Version);
        }
    }

    [Theory]
    [InlineData("""{"places":2}""", "organisationId")]
    [InlineData("""{"places":0}""", "places")]
    [InlineData("""{"organisationId":"ORG","places":0}""", "places")]
    [InlineData("""{"organisationId":"ORG","places":-3}""", "places")]
    [InlineData("""{"organisationId":"ORG","places":1001}""", "places")]
    [InlineData("""{"organisationId":"no-such-organisation","places":2}""", "organisationId")]
    [InlineData("""{"organisationId":"not an id!","places":2}""", "organisationId")]
    [InlineData("""{"organisationId":"ORG","places":"two"}""", "places")]
    public async Task A_bad_organisation_claim_is_refused_naming_the_field_and_claims_nothing(string json, string field)
    {
        var community = await NewCommunity();
        var (organisation, member) = await NewOrganisation(community);
        using var staff = await World.As("staff-t1");
        var activity = await CreateActivity(staff, community, places: 3);
        using var memberClient = await World.As(member);

        var problem = await DispatchClient.Problem(
            await memberClient.PostRaw($"/api/requests/{activity.Id}/claim", json.Replace("ORG", organisation, StringComparison.Ordinal)),
            HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]?[field] is not null, $"No error for '{field}' in {problem.ToJsonString()}");
        Assert.Empty((await staff.GetOk<RequestView>($"/api/requests/{activity.Id}")).Claims);
    }

    [Fact]
    public async Task Racing_individual_volunteers_never_overfill_an_activity_and_the_organisation_gets_all_its_places_or_none()
    {
        const int places = 10;
        const int asked = 6;
        const int rounds = 5;
        var community = await NewCommunity();
        var (organisation, member) = await NewOrganisation(community);
        var individuals = new List<string>();
        for (var i = 0; i < places; i++)
        {
            individuals.Add(await NewVolunteer(community));
        }

        using var staff = await World.As("staff-t1");
        using var memberClient = await World.As(member);
        var clients = new List<(string Username, DispatchClient Client)>();
        foreach (var username in individuals)
        {
            clients.Add((username, await World.As(username)));
        }

        var organisationWins = 0;
        for (var round = 0; round < rounds; round++)
        {
            var activity = await CreateActivity(staff, community, places);

            // Everyone is ready and waits at the gate; opening it starts all eleven at once.
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var organisationCall = Attempt(gate.Task, memberClient, activity.Id, new { organisationId = organisation, places = asked });
            var individualCalls = clients.Select(c => Attempt(gate.Task, c.Client, activity.Id, null)).ToList();
            gate.SetResult();
            var organisationAnswer = await organisationCall;
            var individualAnswers = await Task.WhenAll(individualCalls);

            // Every attempt got a definite answer: won, or lost with a reason.
            Assert.True(organisationAnswer.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, $"Round {round}: organisation got {(int)organisationAnswer.Status} {organisationAnswer.Reason}");
            Assert.All(individualAnswers, a => Assert.True(
                a.Status == HttpStatusCode.OK || (a.Status == HttpStatusCode.Conflict && a.Reason == "full"),
                $"Round {round}: {(int)a.Status} {a.Reason}"));
            var organisationWon = organisationAnswer.Status == HttpStatusCode.OK;
            if (!organisationWon)
            {
                Assert.Contains(organisationAnswer.Reason, new[] { "notEnoughPlaces", "full" });
            }

            var final = await staff.GetOk<RequestView>($"/api/requests/{activity.Id}");
            var taken = final.Claims.Sum(c => c.PlaceCount);
            Assert.True(taken <= places, $"Round {round}: {taken} places taken of {places}.");
            var organisationClaims = final.Claims.Where(c => c.OrganisationId is not null).ToList();
            if (organisationWon)
            {
                organisationWins++;
                var claim = Assert.Single(organisationClaims);
                Assert.Equal((member, asked), (claim.Volunteer, claim.PlaceCount));
            }
            else
            {
                Assert.Empty(organisationClaims);
            }

            var winners = individuals.Where((_, i) => individualAnswers[i].Status == HttpStatusCode.OK).ToHashSet();
            Assert.Equal(winners.Order(StringComparer.Ordinal), final.Claims.Where(c => c.OrganisationId is null).Select(c => c.Volunteer).Order(StringComparer.Ordinal));
            Assert.Equal(winners.Count + (organisationWon ? asked : 0), taken);

            // Ten places and sixteen wanted: the activity always ends full.
            Assert.Equal(places, taken);
            Assert.Equal(RequestStatus.Claimed, final.Status);
            Assert.Equal(organisationWon ? places - asked : places, winners.Count);
            var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{activity.Id}/history");
            Assert.Equal(final.Claims.Length, history.Count(h => h.Action == RequestAction.Claimed));

            // Frees everyone's claim slots for the next round.
            await staff.PostOk<RequestView>($"/api/requests/{activity.Id}/cancel", new { reason = $"Round {round} over" });
        }

        foreach (var (_, client) in clients)
        {
            client.Dispose();
        }

        output.WriteLine($"The organisation won {organisationWins} of {rounds} rounds.");
        Assert.InRange(organisationWins, 0, rounds);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task With_fewer_racers_the_organisation_sometimes_wins_and_then_holds_exactly_its_places(int racers)
    {
        const int places = 10;
        const int asked = 6;
        var community = await NewCommunity();
        var (organisation, member) = await NewOrganisation(community);
        using var staff = await World.As("staff-t1");
        using var memberClient = await World.As(member);
        var clients = new List<(string Username, DispatchClient Client)>();
        for (var i = 0; i < racers; i++)
        {
            var username = await NewVolunteer(community);
            clients.Add((username, await World.As(username)));
        }

        var outcomes = new List<string>();
        for (var round = 0; round < 4; round++)
        {
            var activity = await CreateActivity(staff, community, places);
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var organisationCall = Attempt(gate.Task, memberClient, activity.Id, new { organisationId = organisation, places = asked });
            var individualCalls = clients.Select(c => Attempt(gate.Task, c.Client, activity.Id, null)).ToList();
            gate.SetResult();
            var organisationAnswer = await organisationCall;
            var individualAnswers = await Task.WhenAll(individualCalls);

            var final = await staff.GetOk<RequestView>($"/api/requests/{activity.Id}");
            var organisationWon = organisationAnswer.Status == HttpStatusCode.OK;
            var winners = clients.Where((_, i) => individualAnswers[i].Status == HttpStatusCode.OK).Select(c => c.Username).ToList();
            var taken = final.Claims.Sum(c => c.PlaceCount);
            outcomes.Add($"{(organisationWon ? "won" : organisationAnswer.Reason)}+{winners.Count}");

            Assert.True(taken <= places, $"{taken} places taken of {places}.");
            Assert.Equal(winners.Count + (organisationWon ? asked : 0), taken);
            Assert.Equal(winners.Order(StringComparer.Ordinal), final.Claims.Where(c => c.OrganisationId is null).Select(c => c.Volunteer).Order(StringComparer.Ordinal));
            Assert.All(individualAnswers.Where(a => a.Status != HttpStatusCode.OK), a => Assert.Equal((HttpStatusCode.Conflict, "full"), (a.Status, a.Reason)));
            if (organisationWon)
            {
                Assert.Equal((member, asked), (final.Claims.Single(c => c.OrganisationId == organisation).Volunteer, final.Claims.Single(c => c.OrganisationId == organisation).PlaceCount));
                Assert.Equal(Math.Min(racers, places - asked), winners.Count);
            }
            else
            {
                // It lost only because more than four places were gone when it came.
                Assert.Equal((HttpStatusCode.Conflict, "notEnoughPlaces"), (organisationAnswer.Status, organisationAnswer.Reason));
                Assert.DoesNotContain(final.Claims, c => c.OrganisationId is not null);
                Assert.Equal(racers, winners.Count);
                Assert.True(racers > places - asked, $"The organisation lost with only {racers} racers.");
            }

            Assert.Equal(taken == places ? RequestStatus.Claimed : RequestStatus.Open, final.Status);
            await staff.PostOk<RequestView>($"/api/requests/{activity.Id}/cancel", new { reason = "Round over" });
        }

        foreach (var (_, client) in clients)
        {
            client.Dispose();
        }

        output.WriteLine($"{racers} racers: {string.Join(", ", outcomes)}");
    }

    [Fact]
    public async Task Two_organisations_racing_for_more_than_half_of_the_places_never_both_win()
    {
        var community = await NewCommunity();
        var (first, firstMember) = await NewOrganisation(community);
        var (second, secondMember) = await NewOrganisation(community);
        using var staff = await World.As("staff-t1");
        using var firstClient = await World.As(firstMember);
        using var secondClient = await World.As(secondMember);

        for (var round = 0; round < 5; round++)
        {
            var activity = await CreateActivity(staff, community, places: 10);
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var answers = await Task.WhenAll(
                Attempt(gate.Task, firstClient, activity.Id, new { organisationId = first, places = 6 }),
                Attempt(gate.Task, secondClient, activity.Id, new { organisationId = second, places = 6 }),
                OpenGate(gate));

            Assert.Single(answers.Take(2), a => a.Status == HttpStatusCode.OK);
            Assert.Single(answers.Take(2), a => a.Status == HttpStatusCode.Conflict && a.Reason == "notEnoughPlaces");
            var final = await staff.GetOk<RequestView>($"/api/requests/{activity.Id}");
            Assert.Equal((6, 4, RequestStatus.Open), (final.Claims.Sum(c => c.PlaceCount), final.FreePlaces, final.Status));
            await staff.PostOk<RequestView>($"/api/requests/{activity.Id}/cancel", new { reason = "Round over" });
        }

        static async Task<(HttpStatusCode Status, string? Reason)> OpenGate(TaskCompletionSource gate)
        {
            await Task.Yield();
            gate.SetResult();
            return (HttpStatusCode.OK, null);
        }
    }

    /// <summary>Issue #16, item 10: 50 places for an organisation credit the 3 members who took part, once each.</summary>
    [Fact]
    public async Task A_verified_organisation_claim_credits_each_confirmed_participant_the_award_once()
    {
        var community = await NewCommunity();
        var (organisation, member) = await NewOrganisation(community);
        using var staff = await World.As("staff-t1");
        var participants = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var volunteer = await NewVolunteer(community);
            await staff.PostOk<OrganisationView>($"/api/organisations/{organisation}/members", new { username = volunteer });
            participants.Add(volunteer);
        }

        var stranger = await NewVolunteer(community);
        using var memberClient = await World.As(member);
        var activity = await staff.PostOk<RequestView>(
            "/api/requests",
            new { communityId = community, kind = "activity", title = "Free clinic", urgency = "urgent", places = 50, points = 10, beneficiary = new { name = "Village clinic" } },
            HttpStatusCode.Created);
        Assert.Equal(15, activity.Award);

        await memberClient.PostOk<RequestView>($"/api/requests/{activity.Id}/claim", new { organisationId = organisation, places = 50 });
        await memberClient.PostOk<RequestView>($"/api/requests/{activity.Id}/start");

        // Someone who is not a member: refused, naming the field; nothing changed.
        var problem = await DispatchClient.Problem(
            await memberClient.Post($"/api/requests/{activity.Id}/complete", new { note = "Three doctors came", participants = new[] { participants[0], stranger } }),
            HttpStatusCode.BadRequest);
        Assert.Equal("notAMember", problem["reason"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["participants"]);
        Assert.Contains(stranger, problem["errors"]!["participants"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(RequestStatus.InProgress, (await staff.GetOk<RequestView>($"/api/requests/{activity.Id}")).Status);

        var completed = await memberClient.PostOk<RequestView>($"/api/requests/{activity.Id}/complete", new { note = "Three doctors came", participants });
        Assert.Equal(participants, completed.Participants);

        // Staff confirm (a retried verification changes nothing).
        await staff.PostOk<RequestView>($"/api/requests/{activity.Id}/verify", new { approved = true, rating = 5 });
        var verified = await staff.PostOk<RequestView>($"/api/requests/{activity.Id}/verify", new { approved = true, rating = 5 });
        Assert.Equal(RequestStatus.Verified, verified.Status);

        foreach (var participant in participants)
        {
            var points = await Eventually.Get(() => staff.GetOk<PointsStatement>($"/api/volunteers/{participant}/points"), s => s.Balance == 15);
            Assert.Equal((15, 1), (points.Balance, points.TotalEntries));
        }

        // The member who claimed the 50 places took no part: nothing for them, and never 50 × 15 for anyone.
        Assert.Equal(0, (await memberClient.GetOk<PointsStatement>($"/api/volunteers/{member}/points")).Balance);
        Assert.Equal(0, (await staff.GetOk<PointsStatement>($"/api/volunteers/{stranger}/points")).Balance);
    }

    [Fact]
    public async Task Staff_correct_the_participants_at_verification_and_a_non_member_is_refused_there_too()
    {
        var community = await NewCommunity();
        var (organisation, member) = await NewOrganisation(community);
        using var staff = await World.As("staff-t1");
        var other = await NewVolunteer(community);
        using var memberClient = await World.As(member);
        var activity = await CreateActivity(staff, community, places: 5);
        await memberClient.PostOk<RequestView>($"/api/requests/{activity.Id}/claim", new { organisationId = organisation, places = 5 });
        await memberClient.PostOk<RequestView>($"/api/requests/{activity.Id}/start");
        await memberClient.PostOk<RequestView>($"/api/requests/{activity.Id}/complete", new { participants = new[] { member } });

        var problem = await DispatchClient.Problem(
            await staff.Post($"/api/requests/{activity.Id}/verify", new { approved = true, participants = new[] { member, other } }),
            HttpStatusCode.BadRequest);
        Assert.Equal("notAMember", problem["reason"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["participants"]);
        Assert.Equal(RequestStatus.Completed, (await staff.GetOk<RequestView>($"/api/requests/{activity.Id}")).Status);

        Assert.Equal("invalid", (await DispatchClient.Problem(
            await staff.Post($"/api/requests/{activity.Id}/verify", new { approved = true, participants = new[] { "" } }),
            HttpStatusCode.BadRequest))["reason"]!.GetValue<string>());

        var verified = await staff.PostOk<RequestView>($"/api/requests/{activity.Id}/verify", new { approved = true, participants = new[] { member } });
        Assert.Equal<string>([member], verified.Participants);
        var points = await Eventually.Get(() => memberClient.GetOk<PointsStatement>($"/api/volunteers/{member}/points"), s => s.Balance == 10);
        Assert.Equal((10, 1), (points.Balance, points.TotalEntries));
    }

    private static Task<(HttpStatusCode Status, string? Reason)> Attempt(Task gate, DispatchClient client, Guid requestId, object? body) =>
        Task.Run(async () =>
        {
            await gate;
            var response = await client.Post($"/api/requests/{requestId}/claim", body);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return (response.StatusCode, (string?)null);
            }

            var problem = await response.Content.ReadFromJsonAsync<JsonObject>(DispatchClient.Json);
            return (response.StatusCode, problem?["reason"]?.GetValue<string>());
        });

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();

    private async Task<string> NewCommunity()
    {
        var id = $"oc-{Interlocked.Increment(ref counter)}";
        await World.Admin.CreatePlace(id, "community", "t1");
        return id;
    }

    private async Task<string> NewVolunteer(string community)
    {
        var username = $"ov-{Interlocked.Increment(ref counter)}-{community}";
        await World.Admin.CreateAccount(username, "volunteer", community);
        return username;
    }

    /// <summary>An organisation reporting to <paramref name="communities"/>, with one member registered in the first.</summary>
    private async Task<(string Id, string Member)> NewOrganisation(params string[] communities)
    {
        var id = $"org-{Interlocked.Increment(ref counter)}";
        using var staff = await World.As("staff-t1");
        await staff.PostOk<OrganisationView>("/api/organisations", new { id, name = $"Unit {id}", communityIds = communities }, HttpStatusCode.Created);
        var member = await NewVolunteer(communities[0]);
        await staff.PostOk<OrganisationView>($"/api/organisations/{id}/members", new { username = member });
        return (id, member);
    }

    private static Task<RequestView> CreateActivity(DispatchClient staff, string community, int places, string kind = "activity") =>
        staff.PostOk<RequestView>(
            "/api/requests",
            new
            {
                communityId = community,
                kind,
                title = "Free haircuts",
                categories = new[] { "care" },
                urgency = "normal",
                places,
                points = 10,
                beneficiary = new { name = "Xiao Ming", phone = "138-0000-0000", address = "Building 3" },
            },
            HttpStatusCode.Created);
}
