using System.Globalization;
using System.Net;
using System.Text;
using Dispatch.IntegrationTests.Support;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http;
using Dispatch.Queries;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// <c>format=xlsx</c> on <c>GET /api/places/{id}/requests/export</c>, and
/// <c>GET /api/places/{id}/stats/export</c> as CSV and as a workbook.
/// </summary>
public sealed class ExportFormatsApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    [Fact]
    public async Task A_requests_export_as_xlsx_holds_chinese_text_and_numbers_as_numbers_and_no_contact()
    {
        using var exporter = await Exporter("xl");
        var cup = await PlaceRequestsApiTests.Publish(exporter, "xl-m", "wish", "为留守儿童送保温杯", "八岁, \"left-behind\"\nchild", "goods");
        await PlaceRequestsApiTests.Publish(exporter, "xl-m", "errand", "=HYPERLINK(\"http://x\")", null, "food");
        var cancelled = await PlaceRequestsApiTests.Publish(exporter, "xl-m", "case", "土地补偿", null, "dispute");
        await exporter.PostOk<RequestView>($"/api/requests/{cancelled.Id}/cancel", new { reason = "Withdrawn" });
        await Eventually.Get(() => exporter.GetOk<RequestPage>("/api/places/xl-town/requests?status=cancelled"), p => p.Total == 1);

        var response = await exporter.Get("/api/places/xl-town/requests/export?format=xlsx&status=open&sort=oldest");
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        Assert.Equal(Xlsx, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("requests-xl-town.xlsx", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var rows = XlsxSheet.Read(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(3, rows.Count); // the header and the two open requests
        var header = rows[0].Select(c => c.Text).ToList();
        Assert.Equal(["id", "communityId", "kind", "title", "description"], header.Take(5));
        var first = rows[1];
        Assert.Equal(cup.Id.ToString(), first[0].Text);
        Assert.Equal("为留守儿童送保温杯", first[header.IndexOf("title")].Text);
        Assert.Equal("八岁, \"left-behind\"\nchild", first[header.IndexOf("description")].Text);
        var places = first[header.IndexOf("places")];
        Assert.True(places.IsNumber);
        Assert.Equal("1", places.Text);
        Assert.True(first[header.IndexOf("points")].IsNumber);
        Assert.Equal(cup.Points, int.Parse(first[header.IndexOf("points")].Text, CultureInfo.InvariantCulture));

        // Times are Excel dates (numbers), in UTC.
        var created = first[header.IndexOf("createdAt")];
        Assert.True(created.IsNumber);
        var day = DateTime.FromOADate(double.Parse(created.Text, CultureInfo.InvariantCulture));
        Assert.InRange(day, cup.CreatedAt.UtcDateTime.AddSeconds(-1), cup.CreatedAt.UtcDateTime.AddSeconds(1));

        // A formula is text in a workbook: it is stored as written, never evaluated.
        Assert.Equal("=HYPERLINK(\"http://x\")", rows[2][header.IndexOf("title")].Text);
        Assert.False(rows[2][header.IndexOf("title")].IsNumber);
        var everything = string.Join("|", rows.SelectMany(r => r).Select(c => c.Text));
        Assert.DoesNotContain(cancelled.Id.ToString(), everything, StringComparison.Ordinal);
        Assert.DoesNotContain(ContactSentinel.Phone, everything, StringComparison.Ordinal);

        Assert.NotNull((await DispatchClient.Problem(await exporter.Get("/api/places/xl-town/requests/export?format=xls"), HttpStatusCode.BadRequest))["errors"]!["format"]);
    }

    [Fact]
    public async Task A_statistics_export_has_the_places_row_then_its_groups_as_csv_and_as_xlsx()
    {
        using var exporter = await Exporter("sx");
        var wish = await PlaceRequestsApiTests.Publish(exporter, "sx-m", "wish", "义诊", null, "health");
        await PlaceRequestsApiTests.Publish(exporter, "sx-m", "errand", "帮您办", null, "paperwork");
        var dropped = await PlaceRequestsApiTests.Publish(exporter, "sx-m", "case", "矛盾纠纷", null, "dispute");
        await exporter.PostOk<RequestView>($"/api/requests/{dropped.Id}/cancel", new { reason = "Withdrawn" });
        await Eventually.Get(() => exporter.GetOk<RequestPage>("/api/places/sx-town/requests?status=cancelled"), p => p.Total == 1);

        var csv = await exporter.Get("/api/places/sx-town/stats/export?groupBy=community");
        await DispatchClient.Expect(csv, HttpStatusCode.OK);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length); // header, the town, its one community
        var columns = lines[0].Split(',').ToList();
        Assert.Equal(["key", "name", "communities", "requests"], columns.Take(4));
        var town = lines[1].Split(',');
        Assert.Equal(("sx-town", "3", "2", "1"), (town[0], town[columns.IndexOf("requests")], town[columns.IndexOf("requests.open")], town[columns.IndexOf("requests.cancelled")]));
        var community = lines[2].Split(',');
        Assert.Equal(("sx-m", "社区 sx-m", "1", "3"), (community[0], community[1], community[2], community[columns.IndexOf("requests")]));
        Assert.Equal("1", community[columns.IndexOf("byKind.wish")]);

        var xlsx = await exporter.Get("/api/places/sx-town/stats/export?format=xlsx&groupBy=kind");
        await DispatchClient.Expect(xlsx, HttpStatusCode.OK);
        Assert.Equal(Xlsx, xlsx.Content.Headers.ContentType?.MediaType);
        var rows = XlsxSheet.Read(await xlsx.Content.ReadAsByteArrayAsync());
        var header = rows[0].Select(c => c.Text).ToList();
        Assert.Equal(columns, header);
        Assert.Equal(("sx-town", "3"), (rows[1][0].Text, rows[1][header.IndexOf("requests")].Text));
        Assert.True(rows[1][header.IndexOf("requests")].IsNumber);
        var kinds = rows.Skip(2).ToDictionary(r => r[0].Text, r => r[header.IndexOf("requests")]);
        Assert.Equal(["case", "errand", "wish"], kinds.Keys.Order());
        Assert.All(kinds.Values, c => Assert.Equal(("1", true), (c.Text, c.IsNumber)));

        // A period before anything was published: the place's row counts nothing.
        var before = await exporter.Get($"/api/places/sx-town/stats/export?to={Uri.EscapeDataString(wish.CreatedAt.AddHours(-1).ToString("O", CultureInfo.InvariantCulture))}");
        var empty = Encoding.UTF8.GetString(await before.Content.ReadAsByteArrayAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, empty.Length);
        Assert.Equal("0", empty[1].Split(',')[columns.IndexOf("requests")]);

        // With lang, the same columns under their names in the reader's language; the list's codes become names too.
        var chinese = XlsxSheet.Read(await (await exporter.Get("/api/places/sx-town/stats/export?format=xlsx&groupBy=kind&lang=zh-CN")).Content.ReadAsByteArrayAsync());
        Assert.Equal(header.Count, chinese[0].Count);
        Assert.Equal(["编号", "名称", "社区数", "需求总数"], chinese[0].Take(4).Select(c => c.Text));
        Assert.Equal("已取消", chinese[0][header.IndexOf("requests.cancelled")].Text);
        Assert.Equal("群众满意度", chinese[0][header.IndexOf("residentSatisfaction")].Text);
        Assert.Equal(rows[1].Select(c => c.Text), chinese[1].Select(c => c.Text)); // the figures are the same
        var english = Encoding.UTF8.GetString(await (await exporter.Get("/api/places/sx-town/stats/export?lang=en")).Content.ReadAsByteArrayAsync());
        Assert.StartsWith("\uFEFFKey,Name,Communities,Requests,Open,", english, StringComparison.Ordinal);
        var list = XlsxSheet.Read(await (await exporter.Get("/api/places/sx-town/requests/export?format=xlsx&lang=zh-CN&sort=oldest")).Content.ReadAsByteArrayAsync());
        Assert.Equal(["编号", "社区编号", "类型", "标题"], list[0].Take(4).Select(c => c.Text));
        Assert.Equal(("微心愿", "义诊", "一般", "待认领"), (list[1][2].Text, list[1][3].Text, list[1][6].Text, list[1][7].Text));
        Assert.NotNull((await DispatchClient.Problem(await exporter.Get("/api/places/sx-town/stats/export?lang=%3Cscript%3E"), HttpStatusCode.BadRequest))["errors"]!["lang"]);

        // Bad input names the field; other places and volunteers are refused.
        Assert.NotNull((await DispatchClient.Problem(await exporter.Get("/api/places/sx-town/stats/export?format=pdf"), HttpStatusCode.BadRequest))["errors"]!["format"]);
        Assert.NotNull((await DispatchClient.Problem(await exporter.Get("/api/places/sx-town/stats/export?groupBy=year"), HttpStatusCode.BadRequest))["errors"]!["groupBy"]);
        Assert.NotNull((await DispatchClient.Problem(await exporter.Get("/api/places/sx-town/stats/export?from=yesterday"), HttpStatusCode.BadRequest))["errors"]!["from"]);
        await DispatchClient.Problem(await exporter.Get("/api/places/t1/stats/export"), HttpStatusCode.Forbidden);
        using var volunteer = await fixture.World.As(World.Volunteer("m1", 1));
        await DispatchClient.Problem(await volunteer.Get("/api/places/m1/stats/export"), HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(ExportFormat.Xlsx)]
    [InlineData(ExportFormat.Csv)]
    public async Task An_export_goes_out_while_it_is_written_never_synchronously(ExportFormat format)
    {
        var body = new WatchedBody();
        var context = new DefaultHttpContext();
        context.Response.Body = body;

        await using (var export = await TableExport.Start(context.Response, format, "big", ["n", "title", "at"], CancellationToken.None))
        {
            for (var i = 0; i < 20_000; i++)
            {
                await export.WriteRow([i, $"为留守儿童送保温杯 {i}", DateTimeOffset.UnixEpoch.AddMinutes(i)], CancellationToken.None);
            }

            body.BeforeComplete = body.Written;
            await export.Complete(CancellationToken.None);
        }

        // Nearly all of the file reached the body before the last row was written: nothing piles up in memory.
        Assert.True(body.BeforeComplete >= body.Written * 0.8, $"{body.BeforeComplete} of {body.Written} bytes went out before the end");
        Assert.True(body.Written > 100_000, $"{body.Written} bytes");
        if (format == ExportFormat.Xlsx)
        {
            var rows = XlsxSheet.Read(body.ToArray());
            Assert.Equal(20_001, rows.Count);
            Assert.Equal(("19999", true), (rows[^1][0].Text, rows[^1][0].IsNumber));
            Assert.Equal("为留守儿童送保温杯 19999", rows[^1][1].Text);
        }
    }

    /// <summary>A response body that refuses synchronous writes, as Kestrel does, and counts what it got.</summary>
    private sealed class WatchedBody : MemoryStream
    {
        public long Written => Length;

        public long BeforeComplete { get; set; }

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous write");

        public override void Write(ReadOnlySpan<byte> buffer) => throw new InvalidOperationException("Synchronous write");

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            base.Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var bytes = buffer.ToArray();
            base.Write(bytes, 0, bytes.Length);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A town "{prefix}-town" under c1 with one community "{prefix}-m" named in Chinese, and a staff account of the town.</summary>
    private async Task<DispatchClient> Exporter(string prefix)
    {
        using var admin = await fixture.World.App.Admin();
        await admin.CreatePlace($"{prefix}-town", "town", "c1");
        await admin.PostOk<System.Text.Json.Nodes.JsonObject>("/api/places", new { id = $"{prefix}-m", name = $"社区 {prefix}-m", kind = "community", parentId = $"{prefix}-town" }, HttpStatusCode.Created);
        await admin.CreateAccount($"staff-{prefix}", "staff", $"{prefix}-town");
        return await fixture.World.App.LoginAs($"staff-{prefix}", World.Password);
    }
}
