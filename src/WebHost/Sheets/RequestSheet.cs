using System.Collections.Immutable;
using System.Globalization;
using Dispatch.Common;
using Dispatch.Requests;
using Dispatch.WebHost.Requests;

namespace Dispatch.WebHost.Sheets;

/// <summary>The language of a sheet's headers and names: Chinese for a zh reader, English otherwise.</summary>
public enum SheetLanguage
{
    En,
    Zh,
}

/// <summary>One column of the request sheet: the JSON field it fills and its header in each language.</summary>
public sealed record SheetColumn(string Field, string Zh, string En, bool Required, string ZhHint = "", string EnHint = "")
{
    /// <summary>The header the template writes: a required column starts with <c>*</c>, the allowed values follow in brackets.</summary>
    public string Header(SheetLanguage language) => language == SheetLanguage.Zh
        ? (Required ? "*" : "") + Zh + (ZhHint.Length > 0 ? $"（{ZhHint}）" : "")
        : (Required ? "*" : "") + En + (EnHint.Length > 0 ? $" ({EnHint})" : "");
}

/// <summary>One data row read from a sheet: its row number in the sheet (the header is row 1) and what it asks for, or why not.</summary>
public sealed record SheetRow(int Row, CreateRequestBody? Body, ValidationErrors? Errors);

/// <summary>
/// The request sheet: its columns, the template's example row, and the reading of an uploaded
/// sheet's rows into create bodies. Headers match in either language, with or without the
/// template's <c>*</c> and bracketed hints, so a template in Chinese and one in English both import.
/// Kinds and urgencies are accepted as their codes or their names in either language.
/// </summary>
public static class RequestSheet
{
    public const int MaxRows = BatchApi.MaxItems;

    private static readonly Dictionary<RequestKind, (string Zh, string En)> KindNames = new()
    {
        [RequestKind.Wish] = ("微心愿", "Wish"),
        [RequestKind.Errand] = ("帮办代办", "Errand"),
        [RequestKind.Case] = ("信访代办", "Case"),
        [RequestKind.Activity] = ("组团服务", "Group activity"),
    };

    private static readonly Dictionary<Urgency, (string Zh, string En)> UrgencyNames = new()
    {
        [Urgency.Normal] = ("一般", "Normal"),
        [Urgency.Urgent] = ("紧急", "Urgent"),
        [Urgency.Critical] = ("特急", "Critical"),
    };

    public static readonly ImmutableArray<SheetColumn> Columns =
    [
        new("communityId", "社区", "Community", true, "名称或编号", "name or id"),
        new("kind", "类型", "Kind", true,
            string.Join("/", KindNames.Values.Select(n => n.Zh)),
            string.Join("/", KindNames.Keys.Select(Code))),
        new("title", "标题", "Title", true),
        new("description", "描述", "Description", false),
        new("categories", "类别", "Categories", false, "多个用、分隔", "several separated by ;"),
        new("urgency", "紧急程度", "Urgency", false,
            string.Join("/", UrgencyNames.Values.Select(n => n.Zh)),
            string.Join("/", UrgencyNames.Keys.Select(Code))),
        new("places", "名额", "Places", false, "组团服务可多于1", "more than 1 for an activity"),
        new("points", "积分", "Points", false),
        new("beneficiary.name", "服务对象姓名", "Beneficiary name", true),
        new("beneficiary.phone", "服务对象电话", "Beneficiary phone", false),
        new("beneficiary.address", "服务对象地址", "Beneficiary address", false),
    ];

    public static ImmutableArray<string> Header(SheetLanguage language) => [.. Columns.Select(c => c.Header(language))];

    /// <summary>A filled-in example row for the template, in the community given.</summary>
    public static object?[] Example(SheetLanguage language, string community) => language == SheetLanguage.Zh
        ? [community, KindNames[RequestKind.Wish].Zh, "为独居老人买一个保温杯", "送到家中", "生活、助老", UrgencyNames[Urgency.Normal].Zh, 1, 10, "王大爷", "13800000000", "幸福小区3栋2单元"]
        : [community, Code(RequestKind.Wish), "A thermos for an elderly man living alone", "Deliver it to his home", "daily life; elderly", Code(Urgency.Normal), 1, 10, "Mr Wang", "13800000000", "Building 3, Unit 2"];

    /// <summary>The header's columns, by their JSON field, or the problems with it (<see cref="SheetHeader.Read"/>).</summary>
    public static (ImmutableDictionary<string, int>? Positions, ValidationErrors? Errors) ReadHeader(IReadOnlyList<string?> header) =>
        SheetHeader.Read(Columns, header, "request sheet");

    /// <summary>
    /// One data row as a create body, or the cells that cannot be one (keyed by the JSON field).
    /// What the create route checks itself (lengths, ranges, scope) is left to it.
    /// </summary>
    public static SheetRow ReadRow(int row, IReadOnlyList<string?> cells, ImmutableDictionary<string, int> positions, Func<string, string?> community)
    {
        string? Cell(string field) =>
            positions.TryGetValue(field, out var i) && i < cells.Count && cells[i]?.Trim() is { Length: > 0 } text ? text : null;

        var errors = new ValidationErrors();
        string? communityId = null;
        if (Cell("communityId") is { } place)
        {
            communityId = community(place);
            errors.Require(communityId is not null, "communityId", $"'{place}' is not a community here.", "unknownCommunity");
        }

        var kind = Cell("kind") is { } kindText ? Match(kindText, KindNames, "kind", errors) : null;
        var urgency = Cell("urgency") is { } urgencyText ? Match(urgencyText, UrgencyNames, "urgency", errors) : null;
        var places = Number(Cell("places"), "places", errors);
        var points = Number(Cell("points"), "points", errors);
        string[]? categories = Cell("categories") is { } list
            ? list.Split([';', '；', '、', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : null;
        if (!errors.IsEmpty)
        {
            return new(row, null, errors);
        }

        var beneficiary = Cell("beneficiary.name") is null && Cell("beneficiary.phone") is null && Cell("beneficiary.address") is null
            ? null
            : new BeneficiaryBody(Cell("beneficiary.name"), Cell("beneficiary.phone"), Cell("beneficiary.address"));
        return new(row, new CreateRequestBody(
            communityId, kind, Cell("title"), Cell("description"), categories, urgency, places, points, beneficiary), null);
    }

    /// <summary>True when a row has no text in any cell: skipped, as spreadsheets leave such rows behind.</summary>
    public static bool IsBlank(IReadOnlyList<string?> cells) => cells.All(string.IsNullOrWhiteSpace);

    public static SheetLanguage Language(string? lang, string? acceptLanguage) =>
        (lang ?? acceptLanguage ?? "").TrimStart().StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? SheetLanguage.Zh : SheetLanguage.En;

    private static T? Match<T>(string text, Dictionary<T, (string Zh, string En)> names, string field, ValidationErrors errors)
        where T : struct, Enum
    {
        foreach (var (value, name) in names)
        {
            if (string.Equals(text, Code(value), StringComparison.OrdinalIgnoreCase) || text == name.Zh
                || string.Equals(text, name.En, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        errors.Add(field, $"'{text}' is not one of {string.Join(", ", names.Keys.Select(Code))} ({string.Join("、", names.Values.Select(n => n.Zh))}).", "notOneOf");
        return null;
    }

    private static int? Number(string? text, string field, ValidationErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        // A spreadsheet's number arrives as "3" or "3.0"; anything with a fraction is refused.
        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) && number == decimal.Truncate(number)
            && number is >= int.MinValue and <= int.MaxValue)
        {
            return (int)number;
        }

        errors.Add(field, $"'{text}' is not a whole number.", "notNumber");
        return null;
    }

    private static string Code<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
