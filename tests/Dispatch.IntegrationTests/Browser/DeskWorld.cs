using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The places and people the desk's journeys work with, named as a Chinese county names them (the
/// desk shows names, never ids, and its screenshots should look like the real thing): a region,
/// county and town above two communities, two staff members of the town and a few volunteers.
/// </summary>
public static class DeskWorld
{
    public const string Town = "naji";
    public const string TownName = "那吉镇";
    public const string Community = "xinhua";
    public const string CommunityName = "新华社区";
    public const string Other = "dongfang";
    public const string Staff = "li-na";
    public const string StaffName = "李娜";
    public const string Colleague = "zhao-gang";
    public const string ColleagueName = "赵刚";
    public const string Helper = "wang-wei";
    public const string HelperName = "王伟";
    public const string Runner = "zhang-min";
    public const string RunnerName = "张敏";
    public const string Finisher = "liu-yang";
    public const string Skill = "送物资";
    public const string Admin = "wu-min";
    public const string AdminName = "吴敏";

    public static readonly string[] Ladder = ["呼伦贝尔市", "阿荣旗", TownName, CommunityName];

    public static async Task Seed(DispatchClient admin)
    {
        await Place("hulunbuir", "呼伦贝尔市", "region", null);
        await Place("arong", "阿荣旗", "county", "hulunbuir");
        await Place(Town, TownName, "town", "arong");
        await Place(Community, CommunityName, "community", Town);
        await Place(Other, "东方社区", "community", Town);
        await Account(Staff, StaffName, "staff", Town);
        await Account(Colleague, ColleagueName, "staff", Town);
        await Account(Helper, HelperName, "volunteer", Community, Skill, "陪护");
        await Account(Runner, RunnerName, "volunteer", Community, "辅导");
        await Account(Finisher, "刘洋", "volunteer", Community);
        await Account("chen-jie", "陈杰", "volunteer", Other, "理发");
        await Account(Admin, AdminName, "admin", "hulunbuir");

        Task Place(string id, string name, string kind, string? parentId) =>
            admin.PostOk<JsonObject>("/api/places", new { id, name, kind, parentId }, HttpStatusCode.Created);

        Task Account(string username, string displayName, string role, string placeId, params string[] skills) =>
            admin.PostOk<JsonObject>(
                "/api/accounts",
                new { username, password = World.Password, displayName, role, placeId, skills },
                HttpStatusCode.Created);
    }
}
