using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Queries;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary><c>GET /api/places/{id}/requests/import-template</c> and <c>POST /api/places/{id}/requests/import</c>.</summary>
public sealed class SheetImportApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private static byte[] Csv(params string[] lines) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(string.Join("\r\n", lines))];

    private static async Task<JsonObject> Imported(HttpResponseMessage response)
    {
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(DispatchClient.Json))!;
    }

    [Fact]
    public async Task Good_rows_are_published_bad_ones_reported_by_row_and_field_and_the_same_sheet_twice_publishes_once()
    {
        using var staff = await fixture.World.As("staff-t1");
        var sheet = Csv(
            "*社区（名称或编号）,*类型（微心愿/帮办代办/信访代办/组团服务）,*标题,类别（多个用、分隔）,紧急程度,名额,积分,*服务对象姓名,服务对象电话",
            "Place m1,微心愿,表格导入 保温杯,生活、助老,紧急,1,10,王大爷,13800000000",
            "m2,errand,表格导入 买药,,,,,李奶奶,",
            ",,,,,,,,", // an empty row as Excel saves it
            "Place m1,蛋糕,表格导入 bad kind,,,,,王大爷,",
            "Place m1,微心愿,表格导入 bad places,,,three,,王大爷,",
            "Place m3,微心愿,表格导入 outside,,,,,王大爷,",
            "Place m1,微心愿,,,,,,王大爷,");

        var answer = await Imported(await staff.Upload("/api/places/t1/requests/import", sheet, "requests.csv"));
        Assert.Equal((6, 2, 4), (answer["rows"]!.GetValue<int>(), answer["published"]!.GetValue<int>(), answer["refused"]!.GetValue<int>()));
        var results = answer["results"]!.AsArray();
        // Rows are numbered as the sheet shows them: the header is row 1, the blank row 4 is skipped.
        Assert.Equal([2, 3, 5, 6, 7, 8], results.Select(r => r!["row"]!.GetValue<int>()));
        var cup = await staff.GetOk<RequestView>($"/api/requests/{results[0]!["id"]!.GetValue<Guid>()}");
        Assert.Equal(("m1", RequestKind.Wish, Urgency.Urgent, 10), (cup.CommunityId, cup.Kind, cup.Urgency, cup.Points));
        Assert.Equal(["生活", "助老"], cup.Categories.ToArray());
        Assert.Equal("m2", (await staff.GetOk<RequestView>($"/api/requests/{results[1]!["id"]!.GetValue<Guid>()}")).CommunityId);
        Assert.NotNull(results[2]!["problem"]!["errors"]!["kind"]);
        Assert.NotNull(results[3]!["problem"]!["errors"]!["places"]);
        Assert.NotNull(results[4]!["problem"]!["errors"]!["communityId"]);
        Assert.NotNull(results[5]!["problem"]!["errors"]!["title"]);
        Assert.All(results.Skip(2), r => Assert.Equal("invalid", r!["problem"]!["reason"]!.GetValue<string>()));
        // Beside each message, a stable code the desk translates.
        Assert.Equal(
            ["kind:notOneOf", "places:notNumber", "communityId:unknownCommunity", "title:required"],
            results.Skip(2).Select(r => r!["problem"]!["codes"]!.AsObject().Single() is var (field, codes) ? $"{field}:{codes![0]}" : ""));

        // The same file again reaches the same requests: nothing is published twice.
        var again = await Imported(await staff.Upload("/api/places/t1/requests/import", sheet, "copy.csv"));
        Assert.Equal(results[0]!["id"]!.GetValue<Guid>(), again["results"]![0]!["id"]!.GetValue<Guid>());
        Assert.Equal(results[1]!["id"]!.GetValue<Guid>(), again["results"]![1]!["id"]!.GetValue<Guid>());
        var page = await Eventually.Get(
            () => staff.GetOk<RequestPage>("/api/places/t1/requests?q=" + Uri.EscapeDataString("表格导入")),
            p => p.Total >= 2);
        Assert.Equal(2, page.Total);
    }

    [Fact]
    public async Task The_template_in_either_language_imports_as_it_is()
    {
        using var staff = await fixture.World.As("staff-t1");
        var zh = await staff.Get("/api/places/t1/requests/import-template?lang=zh-CN");
        await DispatchClient.Expect(zh, HttpStatusCode.OK);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", zh.Content.Headers.ContentType?.MediaType);
        Assert.Equal("requests-template-zh-CN.xlsx", zh.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var workbook = await zh.Content.ReadAsByteArrayAsync();
        var rows = XlsxSheet.Read(workbook);
        Assert.Equal("*社区（名称或编号）", rows[0][0].Text);
        Assert.Contains(rows[0], c => c.Text == "*类型（微心愿/帮办代办/信访代办/组团服务）");
        Assert.Contains(rows[0], c => c.Text == "紧急程度（一般/紧急/特急）");
        Assert.Equal("Place m1", rows[1][0].Text);
        Assert.True(rows[1][6].IsNumber); // places: a number, not text

        var imported = await Imported(await staff.Upload("/api/places/t1/requests/import", workbook, "模板.xlsx"));
        Assert.Equal(1, imported["published"]!.GetValue<int>());
        var wish = await staff.GetOk<RequestView>($"/api/requests/{imported["results"]![0]!["id"]!.GetValue<Guid>()}");
        Assert.Equal(("m1", "为独居老人买一个保温杯", RequestKind.Wish), (wish.CommunityId, wish.Title, wish.Kind));

        var en = await staff.Get("/api/places/t1/requests/import-template?format=csv&lang=en");
        await DispatchClient.Expect(en, HttpStatusCode.OK);
        var text = Encoding.UTF8.GetString(await en.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        Assert.StartsWith("*Community (name or id),*Kind (wish/errand/case/activity),*Title,", text, StringComparison.Ordinal);
        var english = await Imported(await staff.Upload("/api/places/t1/requests/import", Encoding.UTF8.GetBytes(text), "template.csv"));
        Assert.Equal(1, english["published"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_sheet_that_cannot_be_read_is_refused_naming_the_file_or_header_and_publishes_nothing()
    {
        using var staff = await fixture.World.As("staff-t1");
        const string path = "/api/places/t1/requests/import";
        const string header = "*社区,*类型,*标题,*服务对象姓名";

        async Task<JsonObject> Refused(HttpResponseMessage response, string field, string? code = null)
        {
            var problem = await DispatchClient.Problem(response, HttpStatusCode.BadRequest);
            Assert.Equal("invalid", problem["reason"]!.GetValue<string>());
            Assert.NotNull(problem["errors"]![field]);
            if (code is not null)
            {
                Assert.Equal(code, problem["codes"]![field]![0]!.GetValue<string>());
            }

            return problem;
        }

        // Each whole-sheet refusal has its code beside its message, for the desk to word it.
        await Refused(await staff.Upload(path, [0x00, 0x01, 0x02, 0xFF, 0x00], "photo.png"), "file", "notASheet");
        await Refused(await staff.Upload(path, [(byte)'P', (byte)'K', 3, 4, 0, 0, 1], "broken.xlsx"), "file", "unreadable");
        // A CSV file with no rows under its header is refused as unreadable by the reader, not as "noRows": not checked here.
        await Refused(await staff.Upload(path, Csv(header), "empty.csv"), "file");

        // "社区" in GB18030, as Excel on a Chinese system saves a plain CSV: refused, saying how to save it instead.
        var gb18030 = await Refused(await staff.Upload(path, [(byte)'*', 0xC9, 0xE7, 0xC7, 0xF8, .. Encoding.ASCII.GetBytes(",kind,title\r\nm1,wish,x")], "gbk.csv"), "file", "notUtf8");
        Assert.Contains("UTF-8", gb18030["errors"]!["file"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await Refused(await staff.Upload(path, Csv(header, "", " , ,"), "blank.csv"), "file");
        await Refused(await staff.Upload(path, Csv([header, .. Enumerable.Repeat("m1,wish,表格过多,王", 1001)]), "many.csv"), "file", "tooManyRows");
        var wrong = await Refused(await staff.Upload(path, Csv("社区,类型,名字,颜色", "m1,wish,x,red"), "wrong.csv"), "header");
        var messages = wrong["errors"]!["header"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Contains(messages, m => m.Contains("颜色", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Title", StringComparison.Ordinal));
        Assert.Equal(["unknownColumn", "missingColumn"], wrong["codes"]!["header"]!.AsArray().Select(c => c!.GetValue<string>()).Distinct());
        await Refused(await staff.PostRaw(path, "{}"), "file", "notMultipart");

        // Nothing of those was published.
        await Eventually.Get(() => staff.GetOk<RequestPage>("/api/places/t1/requests?q=" + Uri.EscapeDataString("表格过多")), p => p.Total == 0);

        // Staff in scope of the place only; volunteers never.
        using var other = await fixture.World.As("staff-m3");
        Assert.Equal("outOfScope", (await DispatchClient.Problem(await other.Upload(path, Csv(header, "m1,wish,x,王"), "x.csv"), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        await DispatchClient.Problem(await other.Get("/api/places/t1/requests/import-template"), HttpStatusCode.Forbidden);
        using var volunteer = await fixture.World.As(World.Volunteer("m1", 1));
        await DispatchClient.Expect(await volunteer.Upload(path, Csv(header, "m1,wish,x,王"), "x.csv"), HttpStatusCode.Forbidden);
    }
}
