using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;

namespace Dispatch.IntegrationTests.Api;

/// <summary><c>GET /api/places/{id}/volunteers/import-template</c> and <c>POST /api/places/{id}/volunteers/import</c>.</summary>
public sealed class VolunteerImportApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private const string Path = "/api/places/t1/volunteers/import";

    private static byte[] Csv(params string[] lines) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(string.Join("\r\n", lines))];

    private static async Task<JsonObject> Imported(HttpResponseMessage response)
    {
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(DispatchClient.Json))!;
    }

    private static (string Field, string Code) Refusal(JsonNode result)
    {
        var codes = result["problem"]!["codes"]!.AsObject().Single();
        Assert.NotNull(result["problem"]!["errors"]![codes.Key]); // the message beside the code
        return (codes.Key, codes.Value![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Good_rows_register_volunteers_with_one_time_passwords_and_bad_rows_are_refused_with_codes_leaving_nothing()
    {
        using var staff = await fixture.World.As("staff-t1");
        var sheet = Csv(
            "*社区（名称或编号）,*姓名,*用户名（登录用，字母或数字）,手机号（仅本人可见）,技能（多个用、分隔）",
            "Place m1,表格志愿者甲,sheet-vol-a,138 0000 1111,陪伴、跑腿",
            "m2,表格志愿者乙,Sheet-Vol-B,,",
            ",,,,", // an empty row as Excel saves it
            "Place m1,重名,sheet-vol-a,,",                      // the same username as row 2
            "Place m1,已有账号,vol-m1-1,,",                       // taken by an existing account
            "Place m3,别处社区,sheet-vol-outside,,",              // a community outside the place
            "Place m1,电话错了,sheet-vol-phone,call me,",
            "Place m1,,sheet-vol-noname,,",
            "Place m1,坏用户名,-bad name-,,");

        var answer = await Imported(await staff.Upload(Path, sheet, "volunteers.csv"));
        Assert.Equal((8, 2, 6), (answer["rows"]!.GetValue<int>(), answer["registered"]!.GetValue<int>(), answer["refused"]!.GetValue<int>()));
        var results = answer["results"]!.AsArray();
        Assert.Equal([2, 3, 5, 6, 7, 8, 9, 10], results.Select(r => r!["row"]!.GetValue<int>()));
        Assert.Equal(("sheet-vol-a", "表格志愿者甲", "m1"), (results[0]!["username"]!.GetValue<string>(), results[0]!["displayName"]!.GetValue<string>(), results[0]!["communityId"]!.GetValue<string>()));
        Assert.Equal("sheet-vol-b", results[1]!["username"]!.GetValue<string>()); // usernames are stored lower-cased, as one registration stores them
        Assert.Equal(("username", "duplicateInSheet"), Refusal(results[2]!));
        Assert.Equal(("username", "alreadyExists"), Refusal(results[3]!));
        Assert.Equal(409, results[3]!["problem"]!["status"]!.GetValue<int>());
        Assert.Equal(("communityId", "unknownCommunity"), Refusal(results[4]!));
        Assert.Equal(("phone", "badPhone"), Refusal(results[5]!));
        Assert.Equal(("displayName", "required"), Refusal(results[6]!));
        Assert.Equal(("username", "badUsername"), Refusal(results[7]!));
        Assert.All(results.Skip(2), r => Assert.Null(r!["oneTimePassword"]));

        // A one-time password signs in to nothing but changing it.
        var password = results[0]!["oneTimePassword"]!.GetValue<string>();
        Assert.Matches("^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$", password);
        Assert.NotEqual(password, results[1]!["oneTimePassword"]!.GetValue<string>());
        using var volunteer = await fixture.World.App.LoginAs("sheet-vol-a", password);
        var me = await volunteer.GetOk<JsonObject>("/api/accounts/me");
        Assert.True(me["mustChangePassword"]!.GetValue<bool>());
        Assert.Equal("volunteer", me["role"]!.GetValue<string>());
        Assert.Equal(["陪伴", "跑腿"], me["skills"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("passwordChangeRequired", (await DispatchClient.Problem(await volunteer.Get("/api/me/channels"), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        await DispatchClient.Expect(await volunteer.Put("/api/accounts/sheet-vol-a/password", new { currentPassword = password, newPassword = "my own passphrase" }), HttpStatusCode.OK);

        // The phone is the volunteer's own, as stored digits; staff do not see it in the list.
        using var again = await fixture.World.App.LoginAs("sheet-vol-a", "my own passphrase");
        Assert.Equal("13800001111", (await again.GetOk<JsonObject>("/api/me/channels"))["phone"]!.GetValue<string>());
        var listed = await staff.GetOk<JsonObject>("/api/places/t1/volunteers?q=sheet-vol");
        Assert.Equal(["sheet-vol-a", "sheet-vol-b"], listed["items"]!.AsArray().Select(i => i!["username"]!.GetValue<string>()).Order());

        // The list says who has yet to replace the password from the sheet: B has, A no longer.
        Assert.Equal([("sheet-vol-a", false), ("sheet-vol-b", true)], listed["items"]!.AsArray()
            .Select(i => (i!["username"]!.GetValue<string>(), i["mustChangePassword"]!.GetValue<bool>())).Order());
        Assert.DoesNotContain("13800001111", listed.ToJsonString(), StringComparison.Ordinal);

        // The community's board knows the new volunteer (the matcher reads it).
        Assert.Contains("sheet-vol-b", (await staff.GetOk<JsonObject>("/api/volunteers/sheet-vol-b"))["username"]!.GetValue<string>(), StringComparison.Ordinal);

        // Refused rows left nothing: no account for any of them.
        foreach (var username in new[] { "sheet-vol-outside", "sheet-vol-phone", "sheet-vol-noname" })
        {
            await DispatchClient.Problem(await fixture.World.Admin.Get($"/api/accounts/{username}"), HttpStatusCode.NotFound);
        }

        // The same sheet again registers nobody twice: every row is refused, already there.
        var second = await Imported(await staff.Upload(Path, sheet, "again.csv"));
        Assert.Equal(0, second["registered"]!.GetValue<int>());
        Assert.Equal(("username", "alreadyExists"), Refusal(second["results"]![0]!));
    }

    [Fact]
    public async Task A_community_added_and_renamed_is_known_by_its_new_name_at_once()
    {
        // The host keeps the places it has found: what it kept must not outlive an addition or a rename.
        using var staff = await fixture.World.As("staff-t1");
        await DispatchClient.Expect(await staff.Get("/api/places/t1/volunteers"), HttpStatusCode.OK);
        await DispatchClient.Expect(
            await fixture.World.Admin.Post("/api/places", new { id = "renamed-m", name = "旧名社区", kind = "community", parentId = "t1" }),
            HttpStatusCode.Created);
        await DispatchClient.Expect(await staff.Get("/api/places/renamed-m"), HttpStatusCode.OK);
        await DispatchClient.Expect(await fixture.World.Admin.Patch("/api/places/renamed-m", new { name = "新名社区" }), HttpStatusCode.OK);

        var answer = await Imported(await staff.Upload(Path, Csv(
            "*社区（名称或编号）,*姓名,*用户名（登录用，字母或数字）,手机号（仅本人可见）,技能（多个用、分隔）",
            "旧名社区,旧名下的人,sheet-old-name,,",
            "新名社区,新名下的人,sheet-new-name,,"), "renamed.csv"));
        var results = answer["results"]!.AsArray();
        Assert.Equal(("communityId", "unknownCommunity"), Refusal(results[0]!));
        Assert.Equal("renamed-m", results[1]!["communityId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_template_in_either_language_imports_as_it_is()
    {
        using var staff = await fixture.World.As("staff-t1");
        var zh = await staff.Get("/api/places/t1/volunteers/import-template?lang=zh-CN");
        await DispatchClient.Expect(zh, HttpStatusCode.OK);
        Assert.Equal("volunteers-template-zh-CN.xlsx", zh.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var workbook = await zh.Content.ReadAsByteArrayAsync();
        var rows = XlsxSheet.Read(workbook);
        Assert.Equal(["*社区（名称或编号）", "*姓名", "*用户名（登录用，字母或数字）", "手机号（仅本人可见）", "技能（多个用、分隔）"], rows[0].Select(c => c.Text));
        Assert.Equal("Place m1", rows[1][0].Text);

        var imported = await Imported(await staff.Upload(Path, workbook, "模板.xlsx"));
        Assert.Equal(1, imported["registered"]!.GetValue<int>());
        Assert.Equal("zhangxh", imported["results"]![0]!["username"]!.GetValue<string>());

        var en = await staff.Get("/api/places/t1/volunteers/import-template?format=csv&lang=en");
        await DispatchClient.Expect(en, HttpStatusCode.OK);
        var text = Encoding.UTF8.GetString(await en.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        Assert.StartsWith("*Community (name or id),*Name,*Username (to sign in with: letters or digits),Phone (private to the volunteer),", text, StringComparison.Ordinal);
        var english = await Imported(await staff.Upload(Path, Encoding.UTF8.GetBytes(text.Replace("zhangxh", "zhangxh-en", StringComparison.Ordinal)), "template.csv"));
        Assert.Equal(1, english["registered"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_sheet_that_cannot_be_read_is_refused_whole_and_only_staff_in_scope_import()
    {
        using var staff = await fixture.World.As("staff-t1");
        const string header = "*社区,*姓名,*用户名";

        async Task<JsonObject> Refused(HttpResponseMessage response, string field)
        {
            var problem = await DispatchClient.Problem(response, HttpStatusCode.BadRequest);
            Assert.NotNull(problem["errors"]![field]);
            return problem;
        }

        await Refused(await staff.Upload(Path, [0x00, 0x01, 0x02, 0xFF, 0x00], "photo.png"), "file");
        await Refused(await staff.Upload(Path, Csv(header), "empty.csv"), "file");
        await Refused(await staff.Upload(Path, Csv([header, .. Enumerable.Range(0, 501).Select(i => $"m1,很多,sheet-many-{i}")]), "many.csv"), "file");
        var wrong = await Refused(await staff.Upload(Path, Csv("社区,姓名,颜色", "m1,x,red"), "wrong.csv"), "header");
        var messages = wrong["errors"]!["header"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Contains(messages, m => m.Contains("颜色", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Username", StringComparison.Ordinal));
        await DispatchClient.Problem(await fixture.World.Admin.Get("/api/accounts/sheet-many-0"), HttpStatusCode.NotFound);

        using var other = await fixture.World.As("staff-m3");
        Assert.Equal("outOfScope", (await DispatchClient.Problem(await other.Upload(Path, Csv(header, "m1,x,sheet-scope"), "x.csv"), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        await DispatchClient.Problem(await other.Get("/api/places/t1/volunteers/import-template"), HttpStatusCode.Forbidden);
        using var volunteer = await fixture.World.As(World.Volunteer("m1", 1));
        await DispatchClient.Expect(await volunteer.Upload(Path, Csv(header, "m1,x,sheet-vol-self"), "x.csv"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await fixture.World.Admin.Get("/api/accounts/sheet-scope"), HttpStatusCode.NotFound);
    }
}
