using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dispatch.IntegrationTests.Support;
using Dispatch.Points;
using Dispatch.Requests;
using Dispatch.Volunteers;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Verified completion: the beneficiary's check-in code (staff see it, volunteers never), completing
/// with it, wrong codes and the lockout, staff verification retried and overturned, and the points
/// each verification credits, once, and reverses.
/// </summary>
public sealed partial class VerifiedCompletionTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private static int counter;

    private World World => fixture.World;

    [Fact]
    public async Task The_check_in_code_is_shown_to_staff_and_admins_and_never_to_volunteers()
    {
        using var staff = await World.As("staff-t1");
        var claimant = await NewVolunteer("m1");
        var bystander = await NewVolunteer("m1");
        var created = await CreateRequest(staff, "m1");

        Assert.Matches(SixDigits(), created.CheckInCode ?? "");
        var code = created.CheckInCode;
        Assert.Equal(code, (await staff.GetOk<RequestView>($"/api/requests/{created.Id}")).CheckInCode);
        Assert.Equal(code, (await World.Admin.GetOk<RequestView>($"/api/requests/{created.Id}")).CheckInCode);

        using var bystanderClient = await World.As(bystander);
        await AssertNoCode(bystanderClient.Get($"/api/requests/{created.Id}"));

        using var claimantClient = await World.As(claimant);
        await AssertNoCode(claimantClient.Post($"/api/requests/{created.Id}/claim"));
        var asClaimant = await claimantClient.GetOk<RequestView>($"/api/requests/{created.Id}");
        Assert.Equal("Xiao Ming", asClaimant.Beneficiary?.Name); // A claimant sees the contact, not the code.
        Assert.Null(asClaimant.CheckInCode);
        await AssertNoCode(claimantClient.Get($"/api/requests/{created.Id}"));
        await AssertNoCode(claimantClient.Post($"/api/requests/{created.Id}/start"));
        await AssertNoCode(claimantClient.Post($"/api/requests/{created.Id}/complete", new { note = "Done" }));
        await AssertNoCode(claimantClient.Get($"/api/requests/{created.Id}/history"));
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{created.Id}/history");
        Assert.DoesNotContain(history, h => h.Note?.Contains(code!, StringComparison.Ordinal) == true);

        // An offered volunteer, and the one who accepts, do not see it either.
        var offered = await CreateRequest(staff, "m1");
        await staff.PostOk<RequestView>($"/api/requests/{offered.Id}/dispatch", new { volunteer = bystander });
        await AssertNoCode(bystanderClient.Get($"/api/requests/{offered.Id}"));
        await AssertNoCode(bystanderClient.Post($"/api/requests/{offered.Id}/offer/accept"));
        await AssertNoCode(bystanderClient.Get($"/api/requests/{offered.Id}"));

        // Nor the board a volunteer reads.
        await AssertNoCode(bystanderClient.Get("/api/communities/m1/requests"));
    }

    [Fact]
    public async Task The_beneficiarys_code_verifies_the_work_at_once_and_credits_the_claimant()
    {
        using var staff = await World.As("staff-t1");
        var volunteer = await NewVolunteer("m1");
        using var client = await World.As(volunteer);
        var request = await InProgress(staff, client, urgency: "urgent");
        Assert.Equal(15, request.Award);

        var verified = await client.PostOk<RequestView>($"/api/requests/{request.Id}/complete", new { note = "Delivered", checkInCode = request.CheckInCode });

        Assert.Equal(RequestStatus.Verified, verified.Status);
        Assert.Null(verified.CheckInCode);
        Assert.Equal("Delivered", verified.CompletionNote);
        var verification = Assert.IsType<Verification>(verified.Verification);
        Assert.True(verification.Approved);
        Assert.True(verification.ByCheckInCode);
        Assert.Equal(volunteer, verification.By);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{request.Id}/history");
        Assert.Equal(
            [RequestAction.Created, RequestAction.Claimed, RequestAction.Started, RequestAction.Completed, RequestAction.Verified],
            history.Select(h => h.Action));
        Assert.Equal(volunteer, history[^1].Actor);

        var points = await Points(client, volunteer, 15);
        Assert.Equal((15, 15, 0, 1), (points.Balance, points.Earned, points.Redeemed, points.TotalEntries));
        var entry = Assert.Single(points.Entries);
        Assert.Equal((PostingKind.Earning, 15, request.Id.ToString()), (entry.Kind, entry.Change, entry.Reference));

        // Done is done: completing again is refused, approving again changes nothing, no second credit.
        Assert.Equal("invalidTransition", await Reason(client.Post($"/api/requests/{request.Id}/complete", new { checkInCode = request.CheckInCode }), HttpStatusCode.Conflict));
        var again = await staff.PostOk<RequestView>($"/api/requests/{request.Id}/verify", new { approved = true, rating = 5 });
        Assert.Equal(verified.Version, again.Version);
        Assert.Equal(1, (await Points(client, volunteer, 15)).TotalEntries);
    }

    [Fact]
    public async Task A_wrong_code_is_refused_naming_the_field_and_changes_nothing_but_the_count_of_wrong_codes()
    {
        using var staff = await World.As("staff-t1");
        var volunteer = await NewVolunteer("m1");
        using var client = await World.As(volunteer);
        var request = await InProgress(staff, client);
        var wrong = WrongCode(request.CheckInCode!);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var problem = await DispatchClient.Problem(
                await client.Post($"/api/requests/{request.Id}/complete", new { note = "Done", checkInCode = wrong }), HttpStatusCode.BadRequest);
            Assert.Equal("wrongCheckInCode", problem["reason"]?.GetValue<string>());
            Assert.NotNull(problem["errors"]?["checkInCode"]);
        }

        var unchanged = await staff.GetOk<RequestView>($"/api/requests/{request.Id}");
        Assert.Equal(RequestStatus.InProgress, unchanged.Status);
        Assert.Null(unchanged.CompletionNote);
        Assert.Null(unchanged.Verification);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{request.Id}/history");
        Assert.Equal(4, history.Count(h => h.Action == RequestAction.CheckInRejected));
        Assert.All(history.Where(h => h.Action == RequestAction.CheckInRejected), h => Assert.Equal((volunteer, RequestStatus.InProgress), (h.Actor, h.To)));
        Assert.Equal(0, (await Points(client, volunteer, 0)).TotalEntries);

        // The fifth try, with the right code (and spaces around it), still works.
        var verified = await client.PostOk<RequestView>($"/api/requests/{request.Id}/complete", new { checkInCode = $" {request.CheckInCode} " });
        Assert.Equal(RequestStatus.Verified, verified.Status);
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_check_in_and_then_only_staff_verify()
    {
        using var staff = await World.As("staff-t1");
        var volunteer = await NewVolunteer("m1");
        using var client = await World.As(volunteer);
        var request = await InProgress(staff, client);
        var wrong = WrongCode(request.CheckInCode!);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Assert.Equal("wrongCheckInCode", await Reason(client.Post($"/api/requests/{request.Id}/complete", new { checkInCode = wrong }), HttpStatusCode.BadRequest));
        }

        Assert.Equal("checkInLocked", await Reason(client.Post($"/api/requests/{request.Id}/complete", new { checkInCode = request.CheckInCode }), HttpStatusCode.Conflict));
        Assert.Equal("checkInLocked", await Reason(client.Post($"/api/requests/{request.Id}/complete", new { checkInCode = wrong }), HttpStatusCode.Conflict));
        var locked = await staff.GetOk<RequestView>($"/api/requests/{request.Id}");
        Assert.Equal(RequestStatus.InProgress, locked.Status);
        Assert.Equal(5, (await staff.GetOk<HistoryEntry[]>($"/api/requests/{request.Id}/history")).Count(h => h.Action == RequestAction.CheckInRejected));

        Assert.Equal(RequestStatus.Completed, (await client.PostOk<RequestView>($"/api/requests/{request.Id}/complete", new { note = "Done" })).Status);
        var verified = await staff.PostOk<RequestView>($"/api/requests/{request.Id}/verify", new { approved = true, rating = 4 });
        Assert.Equal(RequestStatus.Verified, verified.Status);
        Assert.False(verified.Verification!.ByCheckInCode);
        Assert.Equal(10, (await Points(client, volunteer, 10)).Balance);
    }

    [Fact]
    public async Task Ten_concurrent_wrong_codes_get_exactly_five_tries_before_the_lock()
    {
        using var staff = await World.As("staff-t1");
        var volunteer = await NewVolunteer("m1");
        using var client = await World.As(volunteer);
        var request = await InProgress(staff, client);
        var codes = Enumerable.Range(1, 10)
            .Select(i => ((int.Parse(request.CheckInCode!, System.Globalization.CultureInfo.InvariantCulture) + i) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = codes.Select(async code =>
        {
            await start.Task;
            var response = await client.Post($"/api/requests/{request.Id}/complete", new { checkInCode = code });
            return ((int)response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>(DispatchClient.Json))?["reason"]?.GetValue<string>());
        }).ToList();
        start.SetResult();
        var answers = await Task.WhenAll(calls);

        Assert.Equal(5, answers.Count(a => a == (400, "wrongCheckInCode")));
        Assert.Equal(5, answers.Count(a => a == (409, "checkInLocked")));
        Assert.Equal(RequestStatus.InProgress, (await staff.GetOk<RequestView>($"/api/requests/{request.Id}")).Status);
    }

    [Fact]
    public async Task The_code_alone_does_not_complete_a_request_for_someone_without_a_claim_or_before_the_work_started()
    {
        using var staff = await World.As("staff-t1");
        var volunteer = await NewVolunteer("m1");
        var other = await NewVolunteer("m1");
        using var client = await World.As(volunteer);
        using var otherClient = await World.As(other);
        var request = await CreateRequest(staff, "m1");
        await client.PostOk<RequestView>($"/api/requests/{request.Id}/claim");

        Assert.Equal("invalidTransition", await Reason(client.Post($"/api/requests/{request.Id}/complete", new { checkInCode = request.CheckInCode }), HttpStatusCode.Conflict));
        Assert.Equal("invalidTransition", await Reason(client.Post($"/api/requests/{request.Id}/complete", new { checkInCode = WrongCode(request.CheckInCode!) }), HttpStatusCode.Conflict));
        await client.PostOk<RequestView>($"/api/requests/{request.Id}/start");
        Assert.Equal("notClaimant", await Reason(otherClient.Post($"/api/requests/{request.Id}/complete", new { checkInCode = request.CheckInCode }), HttpStatusCode.Forbidden));
        using var farVolunteer = await World.As(World.Volunteer("m3", 1));
        await DispatchClient.Problem(await farVolunteer.Post($"/api/requests/{request.Id}/complete", new { checkInCode = request.CheckInCode }), HttpStatusCode.Forbidden);

        Assert.NotNull((await DispatchClient.Problem(await client.Post($"/api/requests/{request.Id}/complete", new { checkInCode = "" }), HttpStatusCode.BadRequest))["errors"]?["checkInCode"]);
        Assert.NotNull((await DispatchClient.Problem(await client.Post($"/api/requests/{request.Id}/complete", new { checkInCode = "   " }), HttpStatusCode.BadRequest))["errors"]?["checkInCode"]);
        Assert.NotNull((await DispatchClient.Problem(await client.Post($"/api/requests/{request.Id}/complete", new { checkInCode = new string('1', 33) }), HttpStatusCode.BadRequest))["errors"]?["checkInCode"]);
        await DispatchClient.Problem(await client.PostRaw($"/api/requests/{request.Id}/complete", """{"checkInCode":123456}"""), HttpStatusCode.BadRequest);

        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{request.Id}/history");
        Assert.DoesNotContain(history, h => h.Action == RequestAction.CheckInRejected);
        Assert.Equal(RequestStatus.InProgress, (await staff.GetOk<RequestView>($"/api/requests/{request.Id}")).Status);
        Assert.Equal(RequestStatus.Verified, (await client.PostOk<RequestView>($"/api/requests/{request.Id}/complete", new { checkInCode = request.CheckInCode })).Status);
    }

    [Fact]
    public async Task Ten_concurrent_identical_approvals_verify_once_and_credit_once()
    {
        using var staff = await World.As("staff-t1");
        var volunteer = await NewVolunteer("m1");
        using var client = await World.As(volunteer);
        var request = await InProgress(staff, client, urgency: "critical");
        Assert.Equal(20, request.Award);
        await client.PostOk<RequestView>($"/api/requests/{request.Id}/complete", new { note = "Done" });

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 10).Select(async _ =>
        {
            await start.Task;
            return await staff.Post($"/api/requests/{request.Id}/verify", new { approved = true, rating = 4, comment = "Thank you" });
        }).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(calls);

        foreach (var response in responses)
        {
            await DispatchClient.Expect(response, HttpStatusCode.OK);
        }

        var verified = await staff.GetOk<RequestView>($"/api/requests/{request.Id}");
        Assert.Equal(RequestStatus.Verified, verified.Status);
        Assert.Equal(4, verified.Verification?.Rating);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{request.Id}/history");
        Assert.Single(history, h => h.Action == RequestAction.Verified);
        var points = await Points(client, volunteer, 20);
        Assert.Equal((20, 20, 1), (points.Balance, points.Earned, points.TotalEntries));

        // A later approval with another rating changes nothing either.
        var later = await staff.PostOk<RequestView>($"/api/requests/{request.Id}/verify", new { approved = true, rating = 1, comment = "Changed my mind" });
        Assert.Equal((verified.Version, 4, "Thank you"), (later.Version, later.Verification?.Rating, later.Verification?.Comment));
        Assert.Equal(1, (await Points(client, volunteer, 20)).TotalEntries);
    }

    [Fact]
    public async Task Overturning_a_verification_sends_the_work_back_and_reverses_the_points_and_a_new_verification_credits_again()
    {
        using var staff = await World.As("staff-t1");
        var volunteer = await NewVolunteer("m1");
        using var client = await World.As(volunteer);
        var request = await InProgress(staff, client);
        await client.PostOk<RequestView>($"/api/requests/{request.Id}/complete");
        await staff.PostOk<RequestView>($"/api/requests/{request.Id}/verify", new { approved = true, rating = 5 });
        Assert.Equal(10, (await Points(client, volunteer, 10)).Balance);
        Assert.DoesNotContain(request.Id, (await client.GetOk<VolunteerView>($"/api/volunteers/{volunteer}")).ActiveClaims);

        var overturned = await staff.PostOk<RequestView>($"/api/requests/{request.Id}/verify", new { approved = false, comment = "The cup never arrived" });

        Assert.Equal(RequestStatus.InProgress, overturned.Status);
        Assert.False(overturned.Verification?.Approved);
        Assert.Equal<string>([volunteer], overturned.Claimants);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{request.Id}/history");
        Assert.Equal(RequestAction.VerificationOverturned, history[^1].Action);
        Assert.Equal(("staff-t1", RequestStatus.Verified, RequestStatus.InProgress, "The cup never arrived"), (history[^1].Actor, history[^1].From, history[^1].To, history[^1].Note));
        var reversed = await Points(client, volunteer, 0);
        Assert.Equal((0, 0, 2), (reversed.Balance, reversed.Earned, reversed.TotalEntries));
        Assert.Equal([PostingKind.Reversal, PostingKind.Earning], reversed.Entries.Select(e => e.Kind));
        Assert.Equal(-10, reversed.Entries[0].Change);
        Assert.Contains(request.Id, (await client.GetOk<VolunteerView>($"/api/volunteers/{volunteer}")).ActiveClaims);

        // The work is the claimant's again: done properly this time, it earns again.
        await client.PostOk<RequestView>($"/api/requests/{request.Id}/complete", new { note = "Delivered for real" });
        await staff.PostOk<RequestView>($"/api/requests/{request.Id}/verify", new { approved = true, rating = 3 });
        var earnedAgain = await Points(client, volunteer, 10);
        Assert.Equal((10, 10, 3), (earnedAgain.Balance, earnedAgain.Earned, earnedAgain.TotalEntries));
    }

    [Fact]
    public async Task A_verification_by_check_in_code_can_be_overturned_too()
    {
        using var staff = await World.As("staff-t1");
        var volunteer = await NewVolunteer("m1");
        using var client = await World.As(volunteer);
        var request = await InProgress(staff, client);
        await client.PostOk<RequestView>($"/api/requests/{request.Id}/complete", new { checkInCode = request.CheckInCode });
        Assert.Equal(10, (await Points(client, volunteer, 10)).Balance);

        var overturned = await staff.PostOk<RequestView>($"/api/requests/{request.Id}/verify", new { approved = false, comment = "Code was shared" });

        Assert.Equal(RequestStatus.InProgress, overturned.Status);
        Assert.Equal(0, (await Points(client, volunteer, 0)).Balance);
    }

    [Fact]
    public async Task Rejecting_a_completion_that_was_never_verified_posts_nothing()
    {
        using var staff = await World.As("staff-t1");
        var volunteer = await NewVolunteer("m1");
        using var client = await World.As(volunteer);
        var request = await InProgress(staff, client);
        await client.PostOk<RequestView>($"/api/requests/{request.Id}/complete");

        var rejected = await staff.PostOk<RequestView>($"/api/requests/{request.Id}/verify", new { approved = false, comment = "Not yet" });

        Assert.Equal(RequestStatus.InProgress, rejected.Status);
        Assert.Equal(RequestAction.VerificationRejected, (await staff.GetOk<HistoryEntry[]>($"/api/requests/{request.Id}/history"))[^1].Action);
        Assert.Equal(0, (await client.GetOk<PointsStatement>($"/api/volunteers/{volunteer}/points")).TotalEntries);
        Assert.Equal("invalidTransition", await Reason(staff.Post($"/api/requests/{request.Id}/verify", new { approved = false }), HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Bad_or_unauthorised_verifications_are_refused()
    {
        using var staff = await World.As("staff-t1");
        var volunteer = await NewVolunteer("m1");
        using var client = await World.As(volunteer);
        var request = await InProgress(staff, client);
        await client.PostOk<RequestView>($"/api/requests/{request.Id}/complete");
        var path = $"/api/requests/{request.Id}/verify";

        Assert.NotNull((await DispatchClient.Problem(await staff.Post(path, new { rating = 5 }), HttpStatusCode.BadRequest))["errors"]?["approved"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post(path, new { approved = true, rating = 0 }), HttpStatusCode.BadRequest))["errors"]?["rating"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post(path, new { approved = true, rating = 6 }), HttpStatusCode.BadRequest))["errors"]?["rating"]);
        await DispatchClient.Problem(await staff.Post(path), HttpStatusCode.BadRequest);
        await DispatchClient.Problem(await client.Post(path, new { approved = true }), HttpStatusCode.Forbidden);
        using var farStaff = await World.As("staff-m3");
        Assert.Equal("outOfScope", await Reason(farStaff.Post(path, new { approved = true }), HttpStatusCode.Forbidden));
        await DispatchClient.Problem(await staff.Post($"/api/requests/{Guid.NewGuid()}/verify", new { approved = true }), HttpStatusCode.NotFound);

        Assert.Equal(RequestStatus.Completed, (await staff.GetOk<RequestView>($"/api/requests/{request.Id}")).Status);
        Assert.Equal(0, (await client.GetOk<PointsStatement>($"/api/volunteers/{volunteer}/points")).TotalEntries);
    }

    [Theory]
    [InlineData("normal", 10, 10)]
    [InlineData("urgent", 10, 15)]
    [InlineData("critical", 10, 20)]
    [InlineData("urgent", 3, 5)]
    [InlineData("critical", 0, 0)]
    public async Task The_award_is_the_points_weighted_by_urgency_and_is_what_the_claimant_earns(string urgency, int points, int award)
    {
        using var staff = await World.As("staff-t1");
        var volunteer = await NewVolunteer("m1");
        using var client = await World.As(volunteer);
        var request = await InProgress(staff, client, urgency: urgency, points: points);
        Assert.Equal(award, request.Award);
        Assert.Equal(points, request.Points);

        await client.PostOk<RequestView>($"/api/requests/{request.Id}/complete", new { checkInCode = request.CheckInCode });

        var statement = await Points(client, volunteer, award);
        Assert.Equal(award, statement.Balance);
        Assert.Equal(award == 0 ? 0 : 1, statement.TotalEntries);
    }

    [Fact]
    public async Task Every_claimant_of_a_verified_activity_is_credited_once()
    {
        using var staff = await World.As("staff-t1");
        var first = await NewVolunteer("m2");
        var second = await NewVolunteer("m2");
        using var firstClient = await World.As(first);
        using var secondClient = await World.As(second);
        var activity = await CreateRequest(staff, "m2", kind: "activity", places: 2);
        await firstClient.PostOk<RequestView>($"/api/requests/{activity.Id}/claim");
        await secondClient.PostOk<RequestView>($"/api/requests/{activity.Id}/claim");
        await firstClient.PostOk<RequestView>($"/api/requests/{activity.Id}/start");
        await firstClient.PostOk<RequestView>($"/api/requests/{activity.Id}/complete", new { note = "Six haircuts" });
        await staff.PostOk<RequestView>($"/api/requests/{activity.Id}/verify", new { approved = true, rating = 5 });
        await staff.PostOk<RequestView>($"/api/requests/{activity.Id}/verify", new { approved = true, rating = 5 });

        Assert.Equal((10, 1), Totals(await Points(firstClient, first, 10)));
        Assert.Equal((10, 1), Totals(await Points(secondClient, second, 10)));
        Assert.Equal((10, 1), Totals(await staff.GetOk<PointsStatement>($"/api/volunteers/{second}/points")));

        static (int, int) Totals(PointsStatement s) => (s.Balance, s.TotalEntries);
    }

    [Fact]
    public async Task Points_are_read_by_the_volunteer_and_staff_in_scope_only()
    {
        var volunteer = await NewVolunteer("m1");
        using var client = await World.As(volunteer);
        using var staff = await World.As("staff-t1");
        using var farStaff = await World.As("staff-m3");
        using var neighbour = await World.As(World.Volunteer("m1", 2));

        Assert.Equal(volunteer, (await client.GetOk<PointsStatement>($"/api/volunteers/{volunteer}/points")).Username);
        Assert.Equal(0, (await staff.GetOk<PointsStatement>($"/api/volunteers/{volunteer}/points")).Balance);
        Assert.Equal(0, (await World.Admin.GetOk<PointsStatement>($"/api/volunteers/{volunteer}/points")).Balance);
        await DispatchClient.Problem(await farStaff.Get($"/api/volunteers/{volunteer}/points"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await neighbour.Get($"/api/volunteers/{volunteer}/points"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await staff.Get("/api/volunteers/nobody-at-all/points"), HttpStatusCode.NotFound);
    }

    [GeneratedRegex(@"^\d{6}$")]
    private static partial Regex SixDigits();

    private static string WrongCode(string code) =>
        ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task AssertNoCode(Task<HttpResponseMessage> call)
    {
        var response = await call;
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync());
        foreach (var node in Walk(json))
        {
            if (node is JsonObject obj && obj.TryGetPropertyValue("checkInCode", out var value))
            {
                Assert.True(value is null, $"A volunteer was shown a check-in code: {obj.ToJsonString()}");
            }
        }
    }

    private static IEnumerable<JsonNode?> Walk(JsonNode? node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var descendant in Walk(child))
            {
                yield return descendant;
            }
        }
    }

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();

    /// <summary>The volunteer's statement once the balance is <paramref name="balance"/> (credits are posted after the verification is stored).</summary>
    private static Task<PointsStatement> Points(DispatchClient client, string volunteer, int balance) =>
        Eventually.Get(() => client.GetOk<PointsStatement>($"/api/volunteers/{volunteer}/points"), s => s.Balance == balance);

    private async Task<string> NewVolunteer(string community)
    {
        var username = $"vc-{Interlocked.Increment(ref counter)}-{community}";
        await World.Admin.CreateAccount(username, "volunteer", community);
        return username;
    }

    private static Task<RequestView> CreateRequest(DispatchClient staff, string community, string kind = "wish", int places = 1, string urgency = "normal", int points = 10) =>
        staff.PostOk<RequestView>(
            "/api/requests",
            new
            {
                communityId = community,
                kind,
                title = $"A {kind}",
                categories = new[] { "goods" },
                urgency,
                places,
                points,
                beneficiary = new { name = "Xiao Ming", phone = "138-0000-0000", address = "Building 3" },
            },
            HttpStatusCode.Created);

    /// <summary>A request of the volunteer's community, claimed and started by them; as staff see it (with the code).</summary>
    private static async Task<RequestView> InProgress(DispatchClient staff, DispatchClient volunteer, string urgency = "normal", int points = 10)
    {
        var me = await volunteer.GetOk<JsonObject>("/api/accounts/me");
        var request = await CreateRequest(staff, me["placeId"]!.GetValue<string>(), urgency: urgency, points: points);
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/start");
        return request;
    }
}
