using System.Collections.Immutable;
using Dispatch.Accounts;
using Dispatch.Applications;
using Dispatch.Common;
using Dispatch.WebHost.Accounts;

namespace Dispatch.WebHost.Sheets;

/// <summary>A volunteer as one row of the sheet asks for them; the phone, when given, as stored (digits).</summary>
public sealed record VolunteerSheetEntry(string Username, string DisplayName, string CommunityId, ImmutableArray<string> Skills, string? Phone)
{
    public override string ToString() => $"VolunteerSheetEntry {{ Username = {Username}, CommunityId = {CommunityId} }}";
}

/// <summary>One data row read from a volunteer sheet: its row number (the header is row 1) and the volunteer, or why not.</summary>
public sealed record VolunteerSheetRow(int Row, VolunteerSheetEntry? Entry, ValidationErrors? Errors);

/// <summary>
/// The volunteer sheet: its columns, the template's example row, and the reading of an uploaded
/// sheet's rows into volunteers to register. The checks are those of registering one volunteer
/// (<c>POST /api/accounts</c>), plus a phone that must be a phone number and a username that must
/// not come twice in the sheet; each refusal carries a stable code beside its message.
/// </summary>
public static class VolunteerSheet
{
    /// <summary>Each volunteer's password is hashed on purpose slowly: a sheet stays within a minute or so.</summary>
    public const int MaxRows = 500;

    public static readonly ImmutableArray<SheetColumn> Columns =
    [
        new("communityId", "社区", "Community", true, "名称或编号", "name or id"),
        new("displayName", "姓名", "Name", true),
        new("username", "用户名", "Username", true, "登录用，字母或数字", "to sign in with: letters or digits"),
        new("phone", "手机号", "Phone", false, "仅本人可见", "private to the volunteer"),
        new("skills", "技能", "Skills", false, "多个用、分隔", "several separated by ;"),
    ];

    public static ImmutableArray<string> Header(SheetLanguage language) => [.. Columns.Select(c => c.Header(language))];

    /// <summary>A filled-in example row for the template, in the community given.</summary>
    public static object?[] Example(SheetLanguage language, string community) => language == SheetLanguage.Zh
        ? [community, "张小红", "zhangxh", "13800000000", "陪伴、跑腿"]
        : [community, "Zhang Xiaohong", "zhangxh", "13800000000", "company; errands"];

    public static (ImmutableDictionary<string, int>? Positions, ValidationErrors? Errors) ReadHeader(IReadOnlyList<string?> header) =>
        SheetHeader.Read(Columns, header, "volunteer sheet");

    /// <summary>
    /// Every data row as a volunteer to register or the cells that cannot be one (keyed by the JSON
    /// field): a username already taken by an earlier row of the sheet is refused
    /// (<c>duplicateInSheet</c>), the first one stands.
    /// </summary>
    public static ImmutableArray<VolunteerSheetRow> ReadRows(
        IEnumerable<(int Row, IReadOnlyList<string?> Cells)> rows, ImmutableDictionary<string, int> positions, Func<string, string?> community)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var read = ImmutableArray.CreateBuilder<VolunteerSheetRow>();
        foreach (var (row, cells) in rows)
        {
            var one = ReadRow(row, cells, positions, community);
            if (one.Entry is { } entry && !seen.TryAdd(entry.Username, row))
            {
                one = new VolunteerSheetRow(row, null, new ValidationErrors().Add(
                    "username", $"'{entry.Username}' is already in row {seen[entry.Username]} of this sheet.", "duplicateInSheet"));
            }

            read.Add(one);
        }

        return read.ToImmutable();
    }

    private static VolunteerSheetRow ReadRow(int row, IReadOnlyList<string?> cells, ImmutableDictionary<string, int> positions, Func<string, string?> community)
    {
        string? Cell(string field) => SheetHeader.Cell(cells, positions, field);

        var errors = new ValidationErrors();
        string? communityId = null;
        if (Cell("communityId") is { } place)
        {
            communityId = community(place);
            errors.Require(communityId is not null, "communityId", $"'{place}' is not a community here.", "unknownCommunity");
        }
        else
        {
            errors.Add("communityId", "'communityId' is required.", "required");
        }

        var displayName = Cell("displayName");
        errors.RequireText(displayName, "displayName", AccountsApi.MaxDisplayName);

        var username = Cell("username") is { } name ? Identifiers.NormalizeUsername(name) : null;
        if (username is null)
        {
            errors.Add("username", "'username' is required.", "required");
        }
        else
        {
            errors.Require(Identifiers.IsValidUsername(username), "username",
                    "'username' must be 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit.", "badUsername")
                .Require(!Identifiers.ReservedUsernames.Contains(username), "username", $"'{username}' is reserved.", "reserved");
        }

        var phone = Cell("phone") is { } typed ? ApplicationRules.NormalizePhone(typed) : null;
        errors.Require(phone is null || ApplicationRules.IsValidPhone(phone), "phone",
            "'phone' must be a phone number: 5 to 20 digits, optionally starting with '+'.", "badPhone");

        string[] skills = Cell("skills") is { } list
            ? list.Split([';', '；', '、', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        errors.Require(skills.Length <= AccountsApi.MaxSkills, "skills", $"At most {AccountsApi.MaxSkills} skills.", "tooMany")
            .Require(skills.All(s => s.Length <= AccountsApi.MaxSkill), "skills", $"Each skill must be at most {AccountsApi.MaxSkill} characters.", "tooLong");

        return errors.IsEmpty
            ? new(row, new VolunteerSheetEntry(username!, displayName!, communityId!, [.. skills.Distinct(StringComparer.Ordinal)], phone), null)
            : new(row, null, errors);
    }
}
