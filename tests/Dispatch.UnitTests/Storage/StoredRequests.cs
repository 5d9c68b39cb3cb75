using Dispatch.Common;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Storage;

/// <summary>Two requests that use every stored part of a request: claims (an organisation's too), an offer and its line, escalation and ownership, contact reads, a wrong check-in code, a verification and its points outbox.</summary>
internal static class StoredRequests
{
    public static readonly Guid ActivityId = new("6f1c2a4e-0b6d-4c4e-9d2a-1f0e5b7c3a01");
    public static readonly Guid WishId = new("6f1c2a4e-0b6d-4c4e-9d2a-1f0e5b7c3a02");

    /// <summary>An activity of 4 places: two claims, an automatic offer with a line, escalated and acknowledged, a contact read.</summary>
    public static RequestGrain.State Activity()
    {
        var request = ServiceRequest.Create(
            ActivityId, Given.Activity(4), Given.GridWorker, Given.Morning,
            Given.PolicyOf(TimeSpan.FromMinutes(10)), Given.PlacePath, "123456", award: 30);
        request.ApplyClaim("doctor1", Given.At(1));
        request.ApplyClaim("org.member", Given.At(2), "org-1", 2);
        Assert.Null(request.Dispatch(Given.GridWorker, ["doctor1", "doctor3", "doctor4", "doctor5"], auto: true, Given.At(3)));
        request.NoteContactRead("doctor1", Given.At(4)); // A read of its own when stored; now the claim at 1 has recorded it.
        Assert.Null(request.Acknowledge(Given.GridWorker, Given.At(5)));
        Assert.Null(request.DeclineOffer(Given.Volunteer("doctor3"), "away this week", Given.At(6)));
        Assert.NotEmpty(request.Advance(Given.At(20 * 60)));
        Assert.Null(request.Handover(Given.GridWorker, "town.zhao", Given.At(20 * 60 + 1)));
        request.TakeNotices();
        return new RequestGrain.State { Request = request, ReminderDue = Given.At(30 * 60) };
    }

    /// <summary>A wish claimed, started, a wrong code, completed, verified with a rating: its earning waits in the outbox.</summary>
    public static RequestGrain.State Wish()
    {
        var request = ServiceRequest.Create(
            WishId, Given.Wish(), Given.GridWorker, Given.Morning,
            Given.PolicyOf(TimeSpan.FromHours(1)), Given.PlacePath, "654321", award: 15);
        request.ApplyClaim("li.na", Given.At(10));
        Assert.Null(request.Start(Given.Volunteer("li.na"), Given.At(20)));
        Assert.NotNull(request.Complete(Given.Volunteer("li.na"), "Delivered", Given.At(30), checkInCode: "000000"));
        Assert.Null(request.Complete(Given.Volunteer("li.na"), "Delivered to the door", Given.At(40)));
        Assert.Null(request.Verify(Given.GridWorker, approved: true, rating: 4, "Thank you", Given.At(50)));
        request.TakeNotices();
        return new RequestGrain.State { Request = request, ReminderDue = null };
    }
}
