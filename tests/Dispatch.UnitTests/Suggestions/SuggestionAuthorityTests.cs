using System.Collections.Immutable;
using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Suggestions;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Suggestions;

/// <summary>Who may file a suggestion and who may answer one: the rules the suggestion grain asks.</summary>
public sealed class SuggestionAuthorityTests
{
    private const string Id = "0123456789abcdef0123456789abcdef";

    private static readonly SuggestionView HandedToHousing = SuggestionLifecycle.HandOver(
        SuggestionLifecycle.File(
            Id,
            new NewSuggestion(SuggestionKind.Suggestion, "Lift", "Six floors.", "m"),
            Given.PlacePath, "rep.zhang", RepresentativeTitle.PeoplesCongress, Given.Morning),
        new SuggestionHandover("housing-centre", Given.Morning.AddDays(10), TimeSpan.FromDays(1)),
        "town.zhao",
        Given.Morning.AddHours(1)).Value!.View;

    private static AccountView Account(RepresentativeTitle? title) =>
        new("rep.zhang", "张", AccountRole.Volunteer, "m", ImmutableArray<string>.Empty, "admin", Given.Morning, Representative: title);

    [Fact]
    public void An_account_with_a_representative_title_files_under_it()
    {
        Assert.Null(SuggestionScope.CheckAuthor(Account(RepresentativeTitle.Cppcc), out var title));
        Assert.Equal(RepresentativeTitle.Cppcc, title);
    }

    [Fact]
    public void An_account_without_a_title_or_no_account_is_refused_notRepresentative()
    {
        var refusal = new Failure(FailureKind.Forbidden, "notRepresentative", "Only an account with a representative title (党代表, 人大代表, 政协委员) may file suggestions.");

        Assert.Equal(refusal, SuggestionScope.CheckAuthor(Account(null), out _));
        Assert.Equal(refusal, SuggestionScope.CheckAuthor(null, out _));
    }

    [Fact]
    public void Only_an_account_of_the_department_it_was_handed_to_answers()
    {
        var housing = new Actor("housing.li", AccountRole.Department, "c");
        Assert.Null(SuggestionScope.CheckAnswerer(HandedToHousing, housing, "housing-centre"));

        var refusal = new Failure(FailureKind.Forbidden, "notDepartment", $"Only the department suggestion '{Id}' was handed to may answer it.");
        Assert.Equal(refusal, SuggestionScope.CheckAnswerer(HandedToHousing, new Actor("hospital.wu", AccountRole.Department, "c"), "hospital"));
        Assert.Equal(refusal, SuggestionScope.CheckAnswerer(HandedToHousing, housing, null));
        Assert.Equal(refusal, SuggestionScope.CheckAnswerer(HandedToHousing, new Actor("town.zhao", AccountRole.Staff, "t"), null));
        Assert.Equal(refusal, SuggestionScope.CheckAnswerer(HandedToHousing, new Actor("admin", AccountRole.Admin), null));

        // Staff of the right department by name but not a department account: the role decides.
        Assert.Equal(refusal, SuggestionScope.CheckAnswerer(HandedToHousing, new Actor("town.zhao", AccountRole.Staff, "t"), "housing-centre"));
    }

    [Fact]
    public void A_suggestion_not_yet_handed_over_is_answered_by_no_department()
    {
        var filed = HandedToHousing with { Status = SuggestionStatus.Filed, DepartmentId = null };

        Assert.Equal("notDepartment", SuggestionScope.CheckAnswerer(filed, new Actor("housing.li", AccountRole.Department, "c"), "housing-centre")?.Code);
    }
}
