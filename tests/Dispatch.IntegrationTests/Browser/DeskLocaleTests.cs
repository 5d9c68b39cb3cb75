using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The desk speaks Chinese and English (ClientApp/src/i18n/*.json): every refusal `reason` the server
/// can answer and every history action it records must have words in both, or a staff member would
/// read a code. The codes are collected from the server itself: the history actions from their enum,
/// the reasons from the source (where refusals are made) and from API.md's table of them.
/// </summary>
public sealed partial class DeskLocaleTests
{
    private static readonly string Locales = Path.Combine(Repository.Root(), "src", "WebHost", "ClientApp", "src", "i18n");

    public static TheoryData<string> Languages => new() { "zh-CN", "en" };

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_history_action_has_words(string language)
    {
        var actions = Section(language, "actions");
        var missing = Enum.GetNames<RequestAction>().Select(JsonNamingPolicy.CamelCase.ConvertName).Where(a => !actions.ContainsKey(a)).ToList();
        Assert.True(missing.Count == 0, $"{language}.json lacks the history actions: {string.Join(", ", missing)} (under \"actions\")");
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_reason_code_has_words(string language)
    {
        var reasons = Section(language, "reasons");
        var codes = ReasonCodes();
        Assert.True(codes.Count > 30, $"found only {codes.Count} reason codes: has the way refusals are written changed? ({string.Join(", ", codes)})");
        var missing = codes.Where(c => !reasons.ContainsKey(c)).ToList();
        Assert.True(missing.Count == 0, $"{language}.json lacks the reason codes: {string.Join(", ", missing)} (under \"reasons\")");
    }

    /// <summary>Every reason code: in the source where a refusal is made, and in API.md's table.</summary>
    private static SortedSet<string> ReasonCodes()
    {
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root(), "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match match in Refusal().Matches(File.ReadAllText(file)))
            {
                codes.Add(match.Groups["code"].Value);
            }
        }

        var markdown = File.ReadAllLines(Path.Combine(Repository.Root(), "docs", "API.md"));
        var table = markdown.SkipWhile(l => !l.StartsWith("| reason | status | meaning |", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|'));
        foreach (var row in table)
        {
            if (TableCode().Match(row) is { Success: true } match)
            {
                codes.Add(match.Groups["code"].Value);
            }
        }

        foreach (Match match in InternalCodes().Matches(string.Join("\n", markdown)))
        {
            codes.Add(match.Groups["code"].Value);
        }

        return codes;
    }

    private static JsonObject Section(string language, string name)
    {
        var messages = JsonNode.Parse(File.ReadAllText(Path.Combine(Locales, language + ".json")))!.AsObject();
        return messages[name]?.AsObject() ?? throw new InvalidOperationException($"{language}.json has no \"{name}\" section");
    }

    // Failure.Conflict("code", …), Failure.Forbidden("code", …), new Failure(FailureKind.X, "code", …),
    // Problems.Refusal(StatusCodes.Status409Conflict, "code", …), ["reason"] = "code", a …Reason = "code" constant.
    [GeneratedRegex("""(?:Failure\.(?:Conflict|Forbidden)\(\s*|FailureKind\.[A-Za-z]+,\s*|(?<!Invalid\(\s*)StatusCodes\.Status[0-9]{3}[A-Za-z]*,\s*|\["reason"\]\s*=\s*|Reason\s*=\s*)"(?<code>[a-z][a-zA-Z]+)"[,;)\s]""")]
    private static partial Regex Refusal();

    [GeneratedRegex(@"^\| `(?<code>[a-z][a-zA-Z]+)` \| [0-9]{3} \|")]
    private static partial Regex TableCode();

    [GeneratedRegex(@"not expected: `(?<code>[a-z][a-zA-Z]+)`|and `(?<code>orderIdInUse)`")]
    private static partial Regex InternalCodes();
}
