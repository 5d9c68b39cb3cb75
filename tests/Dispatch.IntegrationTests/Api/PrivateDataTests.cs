using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dispatch.Common;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Requests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// A beneficiary's contact and a check-in code never reach a log, a trace, a metric, a console
/// event, a notification or an export; whoever is shown a contact is on record.
/// </summary>
public sealed partial class PrivateDataTests : IAsyncLifetime
{
    private const string Name = "Zhao Xiaohong-7781";
    private const string Phone = "139-7781-2233";
    private const string Address = "Lane 7781, Building 12";
    private const string SubmitterEmail = "qian.7781@example.org";
    private const string SubmitterPhone = "137-7781-9090";
    private const string WrongCode = "WRONG-7781-CODE";

    private readonly TempDirectory directory = new();
    private readonly TelemetryCapture capture = new();
    private DispatchApp app = null!;
    private World world = null!;

    public async Task InitializeAsync()
    {
        // Everything Dispatch logs, at its most talkative; the frameworks at Debug.
        app = new DispatchApp(
            directory.Path,
            new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Debug",
                ["Logging:LogLevel:Dispatch"] = "Trace",
            },
            configure: web => web.ConfigureLogging(logging => logging.AddProvider(capture)));
        world = await World.Create(app);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        capture.Dispose();
        directory.Dispose();
    }

    [Fact]
    public async Task A_full_lifecycle_leaves_no_contact_or_check_in_code_in_logs_traces_metrics_console_events_or_exports()
    {
        using var staff = await world.As("staff-t1");
        using var volunteer = await world.As(World.Volunteer("m1", 1));
        await using var console = await ConsoleClient.Connect(app, staff);
        await console.Watch("m1");

        // Published by staff, claimed, read, started, completed with a wrong and then the right code.
        var created = await staff.PostOk<RequestView>("/api/requests", new
        {
            communityId = "m1", kind = "wish", title = "A warm blanket", places = 1, points = 10,
            beneficiary = new { name = Name, phone = Phone, address = Address },
        }, HttpStatusCode.Created);
        var claimed = await volunteer.PostOk<RequestView>($"/api/requests/{created.Id}/claim");
        Assert.Equal(Name, claimed.Beneficiary?.Name);
        Assert.Equal(Phone, (await volunteer.GetOk<RequestView>($"/api/requests/{created.Id}")).Beneficiary?.Phone);
        var code = (await staff.GetOk<RequestView>($"/api/requests/{created.Id}")).CheckInCode!;
        await volunteer.PostOk<RequestView>($"/api/requests/{created.Id}/start");
        var wrong = await volunteer.Post($"/api/requests/{created.Id}/complete", new { checkInCode = WrongCode });
        Assert.False(wrong.IsSuccessStatusCode);
        var verified = await volunteer.PostOk<RequestView>($"/api/requests/{created.Id}/complete", new { checkInCode = code });
        Assert.Equal(RequestStatus.Verified, verified.Status);

        // Filed through Open311 by a resident, then read back in the standard's export.
        var key = await world.Admin.PostOk<JsonObject>("/api/open311/keys", new { jurisdictionId = "m1", name = "Hotline" }, HttpStatusCode.Created);
        using var open311 = app.CreateClient();
        var filed = await open311.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["api_key"] = key["apiKey"]!.GetValue<string>(), ["jurisdiction_id"] = "m1", ["service_code"] = "errand",
            ["description"] = "Carry coal upstairs", ["first_name"] = "Qian", ["last_name"] = "7781",
            ["email"] = SubmitterEmail, ["phone"] = SubmitterPhone, ["address_string"] = Address,
        }));
        await DispatchClient.Expect(filed, HttpStatusCode.OK);
        var filedId = JsonNode.Parse(await filed.Content.ReadAsStringAsync())![0]!["service_request_id"]!.GetValue<string>();
        var exported = await open311.GetStringAsync("/open311/v2/requests.json?jurisdiction_id=m1")
            + await open311.GetStringAsync("/open311/v2/requests.xml?jurisdiction_id=m1")
            + await open311.GetStringAsync($"/open311/v2/requests/{filedId}.json");
        Assert.Contains(filedId, exported, StringComparison.Ordinal);

        // The notices the lifecycle decided (a claim of staff's request; the verification and the
        // points for the volunteer): read back from both inboxes.
        var staffInbox = await Eventually.Get(() => staff.GetOk<InboxPage>("/api/inbox?pageSize=100"), p => p.Items.Any(i => i.RequestId == created.Id));
        var volunteerInbox = await Eventually.Get(
            () => volunteer.GetOk<InboxPage>("/api/inbox?pageSize=100"), p => p.Items.Any(i => i.RequestId == created.Id && i.Kind == NoticeKind.PointsEarned));
        var inboxes = System.Text.Json.JsonSerializer.Serialize(staffInbox) + System.Text.Json.JsonSerializer.Serialize(volunteerInbox);

        var events = await console.Next(6);
        Assert.True(events.Count >= 6, $"Only {events.Count} console events came.");
        var consoleText = string.Join('\n', events.Select(e => System.Text.Json.JsonSerializer.Serialize(e)));

        // The capture saw the lifecycle (so that finding nothing means something)...
        // (the capture hears the whole process: it must be this request's completion, as the grain call).
        Assert.Contains(capture.Traces, t => t.Contains("rpc.method=Dispatch.Requests.IRequestGrain/Complete ", StringComparison.Ordinal)
            && t.Contains($"orleans.rpc.target_id=request/{created.Id:N}", StringComparison.Ordinal));
        Assert.Contains(capture.Logs, l => l.Contains(created.Id.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.Contains(capture.Metrics, m => m.Contains("dispatch", StringComparison.OrdinalIgnoreCase));

        // ...and none of it carries the contact, the submitter, or a code.
        var places = new Dictionary<string, IEnumerable<string>>
        {
            ["logs"] = capture.Logs, ["traces"] = capture.Traces, ["metrics"] = capture.Metrics,
            ["console events"] = [consoleText], ["Open311 export"] = [exported], ["inboxes"] = [inboxes],
        };
        foreach (var (where, texts) in places)
        {
            foreach (var text in texts)
            {
                foreach (var secret in new[] { Name, Phone, Address, SubmitterEmail, SubmitterPhone, WrongCode, "7781-2233", "Lane 7781" })
                {
                    Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"'{secret}' appeared in {where}: {text}");
                }

                // The code is six digits: a whole number of its own, not part of a longer one.
                Assert.False(Regex.IsMatch(text, $@"(?<![\d.]){code}(?![\d.])"), $"The check-in code appeared in {where}: {text}");
            }
        }
    }

    [Fact]
    public async Task Staff_notes_reach_staff_and_the_current_claimant_but_no_other_volunteer()
    {
        // Issue #16, item 9: completion notes, verification comments, cancel reasons and history notes.
        using var staff = await world.As("staff-t1");
        using var claimant = await world.As(World.Volunteer("m1", 1));
        using var neighbour = await world.As(World.Volunteer("m1", 2));
        var wish = await staff.PostOk<RequestView>("/api/requests", new
        {
            communityId = "m1", kind = "wish", title = "Fix a door", places = 1, points = 5, beneficiary = new { name = Name },
        }, HttpStatusCode.Created);
        await claimant.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await claimant.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
        await claimant.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "Hinge replaced; Mrs Zhao was upset" });
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = false, comment = "Talk to her son first" });

        var seenByClaimant = await claimant.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal("Talk to her son first", seenByClaimant.Verification?.Comment);
        Assert.Equal("Hinge replaced; Mrs Zhao was upset", seenByClaimant.CompletionNote);
        Assert.Contains(await claimant.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history"), h => h.Note == "Talk to her son first");

        var seenByNeighbour = await neighbour.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.InProgress, seenByNeighbour.Status);
        Assert.Null(seenByNeighbour.CompletionNote);
        Assert.NotNull(seenByNeighbour.Verification);
        Assert.Null(seenByNeighbour.Verification.Comment);
        var neighbourHistory = await neighbour.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history");
        Assert.Contains(neighbourHistory, h => h.Action == RequestAction.VerificationRejected);
        Assert.All(neighbourHistory, h => Assert.Null(h.Note));

        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/cancel", new { reason = "Family complained about the volunteer" });
        var cancelled = await neighbour.GetOk<RequestView>($"/api/requests/{wish.Id}");
        Assert.Equal(RequestStatus.Cancelled, cancelled.Status);
        Assert.Null(cancelled.CancelReason);
        Assert.Equal("Family complained about the volunteer", (await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).CancelReason);
        Assert.All(await neighbour.GetOk<HistoryEntry[]>($"/api/requests/{wish.Id}/history"), h => Assert.Null(h.Note));
    }

    [Fact]
    public async Task Whoever_is_shown_a_contact_is_on_record_once_per_span_and_readers_without_it_are_not()
    {
        using var staff = await world.As("staff-t1");
        using var claimant = await world.As(World.Volunteer("m1", 1));
        using var neighbour = await world.As(World.Volunteer("m1", 2));
        var created = await staff.CreateRequest("m1");
        await claimant.PostOk<RequestView>($"/api/requests/{created.Id}/claim");

        Assert.Null((await neighbour.GetOk<RequestView>($"/api/requests/{created.Id}")).Beneficiary);
        Assert.NotNull((await claimant.GetOk<RequestView>($"/api/requests/{created.Id}")).Beneficiary);
        Assert.NotNull((await claimant.GetOk<RequestView>($"/api/requests/{created.Id}")).Beneficiary);
        Assert.NotNull((await staff.GetOk<RequestView>($"/api/requests/{created.Id}")).Beneficiary);

        var reads = await staff.GetOk<JsonArray>($"/api/requests/{created.Id}/contact-reads");
        Assert.Equal([World.Volunteer("m1", 1), "staff-t1"], reads.Select(r => r!["by"]!.GetValue<string>()));

        // Only staff in scope see the record.
        await DispatchClient.Problem(await claimant.Get($"/api/requests/{created.Id}/contact-reads"), HttpStatusCode.Forbidden);
        using var farStaff = await world.As("staff-m3");
        await DispatchClient.Problem(await farStaff.Get($"/api/requests/{created.Id}/contact-reads"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await staff.Get($"/api/requests/{Guid.NewGuid()}/contact-reads"), HttpStatusCode.NotFound);
    }

    [Fact]
    public void Classified_log_parameters_are_erased_by_the_hosts_redactor()
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dispatch.Tests.Redaction");

        LogContact(logger, "marker-51", Phone);

        var line = Assert.Single(capture.Logs, l => l.Contains("marker-51", StringComparison.Ordinal));
        Assert.DoesNotContain(Phone, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_that_carry_classified_data_print_its_class_instead_of_its_value()
    {
        var beneficiary = new Beneficiary(Name, Phone, null);
        Assert.Equal("Beneficiary { Name = [Personal], Phone = [Personal], Address = null }", beneficiary.ToString());
        var text = new NewRequest("m1", RequestKind.Wish, "A cup", null, [], Urgency.Normal, 1, 10, beneficiary).ToString();
        Assert.DoesNotContain(Name, text, StringComparison.Ordinal);
        Assert.Contains("A cup", text, StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contact of {Marker} is {Phone}")]
    private static partial void LogContact(ILogger logger, string marker, [PersonalData] string phone);
}
