using Dispatch.Common;
using Dispatch.Open311;
using Dispatch.WebHost.Open311;
using Dispatch.Requests;

namespace Dispatch.UnitTests.Open311;

/// <summary>A GeoReport POST's fields: checked field by field, and turned into a Dispatch request with a private contact.</summary>
public sealed class Open311SubmissionTests
{
    private static readonly Open311Service Wish = Open311Services.Defaults.Single(s => s.Code == "wish");
    private static readonly Open311Service Activity = Open311Services.Defaults.Single(s => s.Code == "activity");

    [Fact]
    public void A_complete_form_becomes_a_request_whose_contact_holds_name_email_phone_and_address()
    {
        var errors = new ValidationErrors();
        var submission = Open311Submission.Parse(Form(
            ("description", "A thermos cup for an 8-year-old\nHe walks to school in the cold."),
            ("lat", "48.4833"), ("long", "124.5167"), ("address_string", "Building 3, Xinhua Community"),
            ("first_name", "Li"), ("last_name", "Na"), ("email", "li.na@example.org"), ("phone", "138-0000-0000"),
            ("media_url", "https://example.org/photo.jpg"), ("attribute[urgency]", "Urgent")), Wish with { Category = "goods", Points = 10 }, errors);

        Assert.True(errors.IsEmpty);
        var request = submission!.ToRequest(Wish with { Category = "goods", Points = 10 }, "xinhua");
        Assert.Equal(
            ("xinhua", RequestKind.Wish, "A thermos cup for an 8-year-old", Urgency.Urgent, 1, 10),
            (request.CommunityId, request.Kind, request.Title, request.Urgency, request.Places, request.Points));
        Assert.Equal(["goods"], request.Categories.ToArray());
        Assert.Equal(new Beneficiary("Li Na <li.na@example.org>", "138-0000-0000", "Building 3, Xinhua Community"), request.Beneficiary);
        Assert.Equal(new GeoPoint(48.4833, 124.5167), submission.Point);
        Assert.Equal("https://example.org/photo.jpg", submission.MediaUrl);
        Assert.True(RequestLimits.Validate(request).IsEmpty);
    }

    [Fact]
    public void Coordinates_alone_locate_the_request_and_no_name_is_still_a_contact()
    {
        var errors = new ValidationErrors();
        var request = Open311Submission.Parse(Form(("lat", "-12.5"), ("long", "130")), Wish, errors)!.ToRequest(Wish, "m1");

        Assert.Equal(new Beneficiary(Open311Submission.Anonymous, null, "-12.5, 130"), request.Beneficiary);
        Assert.Equal("Micro-wish", request.Title);
        Assert.Null(request.Description);
        Assert.Empty(request.Categories);
    }

    [Fact]
    public void An_activity_needs_its_number_of_places()
    {
        var errors = new ValidationErrors();
        Assert.Null(Open311Submission.Parse(Form(("address_id", "A-17")), Activity, errors));
        Assert.Equal(["attribute[places]"], errors.ToDictionary().Keys);

        errors = new ValidationErrors();
        var request = Open311Submission.Parse(Form(("address_id", "A-17"), ("attribute[places]", "6")), Activity, errors)!.ToRequest(Activity, "m1");
        Assert.Equal((RequestKind.Activity, 6, "address id A-17"), (request.Kind, request.Places, request.Beneficiary!.Address));
    }

    [Theory]
    [InlineData("description", null, "lat")]
    [InlineData("lat", "91", "lat")]
    [InlineData("lat", "north", "lat")]
    [InlineData("long", "124", "lat")]
    [InlineData("email", "not-an-address", "email")]
    [InlineData("media_url", "ftp://example.org/x", "media_url")]
    [InlineData("attribute[urgency]", "whenever", "attribute[urgency]")]
    [InlineData("first_name", "", "lat")]
    public void A_missing_or_malformed_field_is_named(string field, string? value, string fault)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value is not null)
        {
            fields[field] = value;
        }

        // Every case lacks a valid location except where the fault is elsewhere.
        if (fault != "lat")
        {
            fields["address_string"] = "Building 3";
        }

        var errors = new ValidationErrors();
        Assert.Null(Open311Submission.Parse(fields, Wish, errors));
        Assert.Contains(fault, errors.ToDictionary().Keys);
    }

    [Fact]
    public void Too_long_fields_are_refused()
    {
        var errors = new ValidationErrors();
        Open311Submission.Parse(Form(("address_string", "x"), ("description", new string('d', RequestLimits.MaxDescription + 1)), ("first_name", new string('n', 101))), Wish, errors);

        Assert.Equal(["description", "first_name"], errors.ToDictionary().Keys.Order());
    }

    [Theory]
    [InlineData("Li", "Na", "li@example.org", "Li Na <li@example.org>")]
    [InlineData(null, "Na", null, "Na")]
    [InlineData(null, null, "li@example.org", "li@example.org")]
    [InlineData(null, null, null, Open311Submission.Anonymous)]
    public void The_contact_name_carries_what_was_given(string? first, string? last, string? email, string expected)
    {
        Assert.Equal(expected, Open311Submission.ContactName(first, last, email));
    }

    [Fact]
    public void A_long_first_line_is_shortened_to_a_title()
    {
        var title = Open311Submission.Title("Micro-wish", new string('w', 300) + "\nmore");

        Assert.Equal(RequestLimits.MaxTitle, title.Length);
        Assert.EndsWith("…", title, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Form(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);
}
