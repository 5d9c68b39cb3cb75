using System.Net;
using System.Text.Json.Nodes;
using Dispatch.Activities;
using Dispatch.Hours;
using Dispatch.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Service hours (issue #20 item 4) in the volunteer's drawer: a volunteer attends a two-hour clinic
/// for an hour (the clock moves), then staff add half an hour by hand with a reason (after the
/// server refuses more than the clinic's own length, beside the field), correct the attendance at
/// the volunteer's request, and read the history and the total; the record holds the same.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_add_hours_by_hand_and_correct_an_entry_at_the_volunteers_request(string locale)
    {
        var (username, name, title) = Pick(
            locale,
            ("zheng-hong", "郑红", "重阳节义诊（时长）"),
            ("zheng-hong-en", "Zheng Hong", "Free clinic (hours)"));
        var addReason = T(locale, "义诊结束后协助收拾场地，忘记签退", "Stayed to tidy up after the clinic and forgot to check out");
        var fixReason = T(locale, "应志愿者本人申请：提前到场协助布置", "At the volunteer's request: came early to set up");
        using (var admin = await Fixture.Dispatch.LoginAs(DeskWorld.Admin, World.Password))
        {
            await admin.PostOk<JsonObject>("/api/accounts", new { username, password = World.Password, displayName = name, role = "volunteer", placeId = DeskWorld.Community, skills = Array.Empty<string>() }, HttpStatusCode.Created);
        }

        // A two-hour clinic: the volunteer checks in five minutes after the start and out an hour later.
        ActivityView clinic;
        var start = Fixture.Clock.GetUtcNow().AddMinutes(-5);
        using (var staff = await Staff())
        using (var volunteer = await Fixture.Dispatch.LoginAs(username, World.Password))
        {
            clinic = await staff.PostOk<ActivityView>("/api/activities", new
            {
                communityId = DeskWorld.Community,
                title,
                description = T(locale, "为老人量血压、测血糖。", "Blood pressure and sugar checks for the elderly."),
                categories = new[] { "义诊" },
                places = 4,
                points = 5,
                startsAt = start,
                endsAt = start.AddHours(2),
                venue = T(locale, "新华社区卫生服务站", "Xinhua community health station"),
                organiser = DeskWorld.Staff,
            }, HttpStatusCode.Created);
            await volunteer.PostOk<ActivityView>($"/api/activities/{clinic.Id}/signup");
            var code = await staff.GetOk<CheckInCodeView>($"/api/activities/{clinic.Id}/check-in-code");
            await volunteer.PostOk<ActivityView>($"/api/activities/{clinic.Id}/check-in", new { code = code.Code });
        }

        Fixture.Clock.Advance(TimeSpan.FromMinutes(60));
        using (var back = await Fixture.Dispatch.LoginAs(username, World.Password))
        {
            await back.PostOk<ActivityView>($"/api/activities/{clinic.Id}/check-out");
        }

        // The clinic ends: its attendance becomes the volunteer's first hour.
        Fixture.Clock.Advance(TimeSpan.FromMinutes(60));
        using (var staff = await Staff())
        {
            Assert.Equal(ActivityPhase.Ended, (await staff.GetOk<ActivityView>($"/api/activities/{clinic.Id}")).Phase);
            await Eventually.Get(() => staff.GetOk<JsonObject>($"/api/places/{DeskWorld.Town}/volunteers?q={username}"), r => r["total"]!.GetValue<int>() == 1);
        }

        // The list first, then the search narrowing it: a row is never clicked while the list is redrawn.
        var page = await SignedIn(locale, "console/volunteers");
        var table = page.GetByRole(AriaRole.Main);
        await Assertions.Expect(table).ToContainTextAsync(DeskWorld.HelperName);
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "按姓名或用户名搜索", "Search by name or username") }).FillAsync(username);
        await Button(page, T(locale, "搜索", "Search")).ClickAsync();
        await Assertions.Expect(table).Not.ToContainTextAsync(DeskWorld.HelperName);
        await Button(page, T(locale, $"查看{name}的详情", $"Details of {name}")).ClickAsync();
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = name, Exact = true });
        await Assertions.Expect(drawer).ToBeVisibleAsync();
        var hours = drawer.GetByRole(AriaRole.Region, new() { Name = T(locale, "服务时长", "Service hours"), Exact = true });
        var entries = hours.GetByRole(AriaRole.Region, new() { Name = T(locale, "服务时长记录", "Service hours entries"), Exact = true });
        var attended = entries.GetByRole(AriaRole.Row).Filter(new() { HasText = T(locale, "活动签到", "Activity attendance") });
        await Assertions.Expect(attended).ToContainTextAsync(title);
        await Assertions.Expect(attended).ToContainTextAsync(T(locale, "1 小时", "1 h"));
        await Assertions.Expect(attended).ToContainTextAsync(T(locale, "按签到、签退时间记录", "From check-in to check-out"));
        await Assertions.Expect(hours).ToContainTextAsync(T(locale, "累计 1 小时，参加活动 1 人次", "1 h in all, 1 activity attended"));

        // Hours added by hand: the clinic by its title; what it lasted and what is left said beside it.
        var said = hours.GetByRole(AriaRole.Status);
        var add = hours.GetByRole(AriaRole.Form, new() { Name = T(locale, "补录时长", "Add hours by hand"), Exact = true });
        await Assertions.Expect(add).ToBeVisibleAsync();
        await add.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "所属活动", "Activity"), Exact = true }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = title, Exact = true }).ClickAsync();
        await Assertions.Expect(add).ToContainTextAsync(T(locale, "已记录 1 小时，最多还可补录 1 小时", "1 h recorded, at most 1 h more"));

        // More than the clinic's own length: the server refuses, beside the minutes, and nothing is added.
        ExpectConsoleError("400"); // Refused on purpose: Chromium logs the 400.
        var minutes = add.GetByLabel(T(locale, "补录时长（分钟）", "Time to add (minutes)"), new() { Exact = true });
        var minutesField = add.Locator(".el-form-item").Filter(new() { HasText = T(locale, "补录时长（分钟）", "Time to add (minutes)") });
        await minutes.FillAsync("90");
        await add.GetByLabel(T(locale, "补录原因", "Why"), new() { Exact = true }).FillAsync(addReason);
        await Button(add, T(locale, "补录", "Add hours")).ClickAsync();
        await Assertions.Expect(minutesField).ToContainTextAsync(T(locale, "超出该项服务本身的时长：最多还可记 60 分钟（1 小时）。", "More than the service's own length: at most 60 more minutes (1 h)."));
        await Assertions.Expect(entries.GetByRole(AriaRole.Row).Filter(new() { HasText = T(locale, "补录", "Added by hand") })).ToHaveCountAsync(0);

        await minutes.FillAsync("30");
        await Button(add, T(locale, "补录", "Add hours")).ClickAsync();
        await Assertions.Expect(said).ToHaveTextAsync(T(locale, $"已为{name}补录 0.5 小时：{title}。", $"0.5 h added for {name}: {title}."));
        var added = entries.GetByRole(AriaRole.Row).Filter(new() { HasText = T(locale, "补录", "Added by hand") });
        await Assertions.Expect(added).ToContainTextAsync(title);
        await Assertions.Expect(added).ToContainTextAsync(T(locale, "0.5 小时", "0.5 h"));
        await Assertions.Expect(added).ToContainTextAsync(T(locale, $"{DeskWorld.StaffName} 补录，原因：{addReason}", $"Added by {DeskWorld.StaffName}: {addReason}"));

        // The attendance corrected at the volunteer's request: the old value, who and why stay in view.
        await Button(entries, T(locale, $"更正{title}（活动签到）的时长", $"Correct the hours of {title} (Activity attendance)")).ClickAsync();
        var fix = hours.GetByRole(AriaRole.Form, new() { Name = T(locale, $"更正：{title}（活动签到）", $"Correct: {title} (Activity attendance)"), Exact = true });
        await Assertions.Expect(fix).ToContainTextAsync(T(locale, "现为 1 小时", "Now 1 h"));
        await fix.GetByLabel(T(locale, "更正后的时长（分钟）", "Corrected time (minutes)"), new() { Exact = true }).FillAsync("75");
        await fix.GetByLabel(T(locale, "更正原因", "Why"), new() { Exact = true }).FillAsync(fixReason);
        await Button(fix, T(locale, "保存更正", "Save the correction")).ClickAsync();
        await Assertions.Expect(said).ToHaveTextAsync(T(locale, $"已更正{title}：1 小时 → 1.25 小时。", $"{title} corrected: 1 h to 1.25 h."));
        await Assertions.Expect(fix).ToHaveCountAsync(0);
        await Assertions.Expect(attended).ToContainTextAsync(T(locale, "已更正", "Corrected"));
        await Assertions.Expect(attended).ToContainTextAsync(T(locale, "1.25 小时", "1.25 h"));
        await Assertions.Expect(attended).ToContainTextAsync(T(locale, $"{DeskWorld.StaffName} 更正：1 小时 → 1.25 小时，原因：{fixReason}", $"{DeskWorld.StaffName} corrected 1 h to 1.25 h: {fixReason}"));
        await Assertions.Expect(hours).ToContainTextAsync(T(locale, "累计 1.75 小时，参加活动 1 人次", "1.75 h in all, 1 activity attended"));
        if (locale == "zh-CN")
        {
            await entries.ScrollIntoViewIfNeededAsync();
            await Screenshot(page, "desk-volunteer-hours");
        }

        // The record holds what the drawer shows: the hand-added entry marked, the correction in the history.
        using var check = await Staff();
        var record = await check.GetOk<VolunteerHoursView>($"/api/volunteers/{username}/hours");
        Assert.Equal(105, record.TotalMinutes);
        var attendance = Assert.Single(record.Entries, e => e.Source == HoursSource.Activity);
        var manual = Assert.Single(record.Entries, e => e.Source == HoursSource.Manual);
        Assert.Equal((clinic.Id, 75, false), (attendance.ReferenceId, attendance.Minutes, attendance.Manual));
        var correction = Assert.Single(attendance.Corrections);
        Assert.Equal((DeskWorld.Staff, 60, 75, fixReason), (correction.By, correction.FromMinutes, correction.ToMinutes, correction.Reason));
        Assert.Equal((clinic.Id, 30, true, DeskWorld.Staff, addReason), (manual.ReferenceId, manual.Minutes, manual.Manual, manual.RecordedBy, manual.Reason));
        Assert.Empty(manual.Corrections);
        Assert.Equal(2, record.Entries.Length);
    }
}
