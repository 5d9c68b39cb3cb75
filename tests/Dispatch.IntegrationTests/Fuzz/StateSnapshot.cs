using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Dispatch.IntegrationTests.Fuzz;

/// <summary>
/// What an admin sees of the state a call could touch, read before and after it: a refused call
/// must leave every line the same.
/// </summary>
public sealed record StateSnapshot(IReadOnlyList<(string Probe, string Seen)> Lines)
{
    /// <summary>The first line that differs, or null when none does; lines under <paramref name="except"/> are not compared.</summary>
    /// <remarks>
    /// Lines under <paramref name="versionOnly"/> may differ in their <c>version</c> and
    /// <c>updatedAt</c> alone: a refused redemption takes the shop item's unit and gives it back,
    /// two changes that leave it as it was.
    /// </remarks>
    public string? Difference(StateSnapshot after, string? except = null, string? alsoExcept = null, string? versionOnly = null)
    {
        for (var i = 0; i < Lines.Count; i++)
        {
            var (probe, seen) = Lines[i];
            if ((except is not null && probe.StartsWith(except, StringComparison.Ordinal))
                || (alsoExcept is not null && probe.StartsWith(alsoExcept, StringComparison.Ordinal)))
            {
                continue;
            }

            if (versionOnly is not null && probe == versionOnly
                && StateReader.WithoutVersion(after.Lines[i].Seen) == StateReader.WithoutVersion(seen))
            {
                continue;
            }

            if (after.Lines[i].Seen != seen)
            {
                return $"{probe} changed:{Environment.NewLine}  before: {Cut(seen)}{Environment.NewLine}  after:  {Cut(after.Lines[i].Seen)}";
            }
        }

        return null;
    }

    public string? Seen(string probe) => Lines.FirstOrDefault(l => l.Probe == probe).Seen;

    private static string Cut(string text) => text.Length <= 600 ? text : text[..600] + "…";
}

/// <summary>Reads snapshots as the admin, and waits for the one-way projections (boards) to catch up.</summary>
public sealed partial class StateReader(HttpClient http, string adminToken)
{
    [System.Text.RegularExpressions.GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial System.Text.RegularExpressions.Regex TraceId();

    [System.Text.RegularExpressions.GeneratedRegex("\"(version\":\\d+|updatedAt\":\"[^\"]*\")")]
    private static partial System.Text.RegularExpressions.Regex Version();

    public static string WithoutVersion(string seen) => Version().Replace(seen, "");

    public async Task<StateSnapshot> Take(IEnumerable<string> probes)
    {
        var lines = new List<(string, string)>();
        foreach (var probe in probes)
        {
            lines.Add((probe, probe.StartsWith("/api/communities/", StringComparison.Ordinal) && probe.EndsWith("/requests", StringComparison.Ordinal)
                ? await Board(probe)
                : await Read(probe)));
        }

        return new StateSnapshot(lines);
    }

    public async Task<string> Read(string path)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, path);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(message);
        Assert.False(
            response.StatusCode == HttpStatusCode.Unauthorized,
            $"The admin's token was refused reading {path}: the fake clock outran it; raise the token lifetime in FuzzFixture.Settings.");
        // A problem's traceId differs on every call; the rest must not.
        var body = TraceId().Replace(await response.Content.ReadAsStringAsync(), "");
        return $"{(int)response.StatusCode} {body}";
    }

    public async Task<JsonObject?> ReadJson(string path)
    {
        var seen = await Read(path);
        return seen.StartsWith("200 ", StringComparison.Ordinal) ? JsonNode.Parse(seen[4..]) as JsonObject : null;
    }

    /// <summary>Every page of a community's board, as one list.</summary>
    public async Task<string> Board(string path)
    {
        var items = new JsonArray();
        for (var page = 1; ; page++)
        {
            var seen = await ReadJson($"{path}?pageSize=100&page={page}");
            if (seen is null)
            {
                return await Read(path);
            }

            var pageItems = seen["items"]!.AsArray();
            foreach (var item in pageItems)
            {
                items.Add(item!.DeepClone());
            }

            if (pageItems.Count < 100)
            {
                return $"200 {seen["total"]} {items.ToJsonString()}";
            }
        }
    }

    /// <summary>
    /// Waits until the board of the request's community shows the request as it is now: boards
    /// follow a change a moment after its answer, and the next call's snapshot must not catch
    /// that moment.
    /// </summary>
    public async Task Settle(Guid requestId)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!deadline.IsCancellationRequested)
        {
            if (await ReadJson($"/api/requests/{requestId}") is not { } request)
            {
                return;
            }

            var board = JsonNode.Parse((await Board($"/api/communities/{request["communityId"]}/requests"))
                .Split(' ', 3)[2])!.AsArray();
            if (board.Any(i => i?["id"]?.GetValue<string>() == requestId.ToString()
                    && i["version"]!.GetValue<int>() == request["version"]!.GetValue<int>()))
            {
                return;
            }

            await Task.Delay(20, CancellationToken.None);
        }

        Assert.Fail($"The board never caught up with request {requestId}.");
    }

    public static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;
}
