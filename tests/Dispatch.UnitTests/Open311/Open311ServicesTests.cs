using Dispatch.Open311;
using Dispatch.Requests;

namespace Dispatch.UnitTests.Open311;

/// <summary>The services: one default per request kind, their attributes, and the checks on an admin's list.</summary>
public sealed class Open311ServicesTests
{
    [Fact]
    public void There_is_a_default_service_for_every_kind_coded_by_its_name()
    {
        Assert.Equal(Enum.GetValues<RequestKind>(), Open311Services.Defaults.Select(s => s.Kind));
        Assert.Equal(["wish", "errand", "case", "activity"], Open311Services.Defaults.Select(s => s.Code));
        Assert.All(Open311Services.Defaults, s => Assert.True(Open311Services.IsValidCode(s.Code)));
        Assert.True(Open311Services.Validate(Open311Services.Defaults).IsEmpty);
    }

    [Fact]
    public void An_activity_asks_for_its_places_and_every_service_for_an_urgency()
    {
        var activity = Open311Services.Attributes(Open311Services.Defaults.Single(s => s.Kind == RequestKind.Activity));
        var wish = Open311Services.Attributes(Open311Services.Defaults.Single(s => s.Kind == RequestKind.Wish));

        Assert.Equal([("places", "number", true, 1), ("urgency", "singlevaluelist", false, 2)], activity.Select(a => (a.Code, a.Datatype, a.Required, a.Order)));
        Assert.Equal([("urgency", "singlevaluelist", false, 1)], wish.Select(a => (a.Code, a.Datatype, a.Required, a.Order)));
        Assert.Equal(["normal", "urgent", "critical"], wish[0].Values.Select(v => v.Key));
    }

    [Fact]
    public void An_admins_list_is_checked_field_by_field()
    {
        Open311Service Service(string code, string name = "Goods", RequestKind kind = RequestKind.Wish, int points = 5) =>
            new(code, name, null, kind, "goods", null, null, points);

        var errors = Open311Services.Validate([Service("wish-goods"), Service("wish-goods"), Service("has.dot"), Service("ok", name: " "), Service("pts", points: -1), Service("k", kind: (RequestKind)9)]);

        Assert.Equal(
            ["services[1].code", "services[2].code", "services[3].name", "services[4].points", "services[5].kind"],
            errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
        Assert.False(Open311Services.Validate([]).IsEmpty);
    }
}
