using System.Text.Json;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Dispatch.UnitTests.Storage;

/// <summary>
/// Requests stored by the build before ServiceRequest's rules moved into value objects
/// (ClaimBook, EscalationLadder, CandidateLine, PointsOutbox; commit fd3c126) load into this build
/// with nothing lost: each blob below is <see cref="StoredRequests"/> serialized by that build,
/// and must equal the same steps taken by this one.
/// </summary>
public sealed class StoredShapeTests : IDisposable
{
    // OrleansGrainStorageSerializer output of StoredRequests.Activity() and .Wish() at fd3c126.
    private const string ActivityStoredAtFd3c126 = "ICBAIU4qHG9tC05MnSofDlt8OgFBIWhvbmdxaS1jb21tdW5pdHkJAw1BF0ZyZWUgY2xpbmljwQEhIAADQQ1oZWFsdGjg4AkDBQERAVEhQCdSZXNpZGVudHMgb2YgZ3JpZCAzwQHBAejgCQMBAglBE2dyaWQud2FuZyGAACgfHMRb3QiBAEAjDkMAAADgIYCANvnnxlvdCIEAQCMOQwAAAODBAcEBwQEhIAAdIQAFIYAAKB8cxFvdCIEAQCMOQwAAAODBKwkDAcEBCQMBwQHo4CAACSGAgL63HMRb3QiBAEAjDkMAAADgQQ9kb2N0b3IxCQMFCQMBCQMBwQHo4CAADSGAAFVQHcRb3QiBAEAjDkMAAADgQRVvcmcubWVtYmVyCQMFCQMBCQMBQUlmb3Igb3JnYW5pc2F0aW9uICdvcmctMScsIDIgcGxhY2Uocyno4CAAESGAgOvoHcRb3QiBAEAjDkMAAADgwSsJAzkJAwEJAwFBb3RvICdkb2N0b3IzJyB1bnRpbCAyMDI1LTAzLTA1IDAxOjEwOjAzWjsgMiBtb3JlIGluIGxpbmXo4CAAFSGAgBgaH8Rb3QiBAEAjDkMAAADgwSsJAykJAwEJAwFBC293bmVy6OAgABkhgACvsh/EW90IgQBAIw5DAAAA4EEPZG9jdG9yMwkDQQkDAQkDAUEdYXdheSB0aGlzIHdlZWvo4CAAHSGAAK+yH8Rb3QiBAEAjDkMAAADgQQ1zeXN0ZW0JAzkJAwEJAwFBb3RvICdkb2N0b3I0JyB1bnRpbCAyMDI1LTAzLTA1IDAxOjEwOjA2WjsgMSBtb3JlIGluIGxpbmXo4CAAISGAAKBg58Zb3QiBAEAjDkMAAADgwccJAyEJAwEJAwFBm2NsYWltIGRlYWRsaW5lIHBhc3NlZCBhdCAyMDI1LTAzLTA1IDAxOjEwOjAwWjsgbGV2ZWwgMSAodCk7IG93bmVyICdncmlkLndhbmcn6OAgACUhgACgYOfGW90IgQBAIw5DAAAA4MHHCQMlCQMBCQMBQV8nZG9jdG9yMScgZGlkIG5vdCBzdGFydCBieSAyMDI1LTAzLTA1IDAxOjEwOjAxWujgIAApIYAAoGDnxlvdCIEAQCMOQwAAAODBxwkDJQkDAQkDAUFlJ29yZy5tZW1iZXInIGRpZCBub3Qgc3RhcnQgYnkgMjAyNS0wMy0wNSAwMToxMDowMlro4CAALSGAAKBg58Zb3QiBAEAjDkMAAADgwccJA0UJAwEJAwFBYSdkb2N0b3I0JyBkaWQgbm90IGFuc3dlciBieSAyMDI1LTAzLTA1IDAxOjEwOjA2WujgIAAxIYAAoGDnxlvdCIEAQCMOQwAAAODBxwkDOQkDAQkDAUFvdG8gJ2RvY3RvcjUnIHVudGlsIDIwMjUtMDMtMDUgMDE6MjA6MDZaOyAwIG1vcmUgaW4gbGluZejgIAA1IYAAoGDnxlvdCIEAQCMOQwAAAODBxwkDIQkDAQkDAUGbc3RpbGwgb3ZlcmR1ZSAoY2xhaW0pIGF0IDIwMjUtMDMtMDUgMDE6MjA6MDBaOyBsZXZlbCAyIChjKTsgb3duZXIgJ2dyaWQud2FuZyfo4CAAOSGAgDb558Zb3QiBAEAjDkMAAADgwSsJAzEJAwEJAwFBHXRvICd0b3duLnpoYW8n6ODg4CGAALygZQEAAACBALygZQEAAACBALygZQEAAACBALygZQEAAACBALygZQEAAACBALygZQEAAADo4CEgAAlBA3JAA2NAA3RAA23g4CGAACgfHMRb3QiBAEAjDkMAAADgCQMBAQEhgABcAU3IW90IgQBAIw5DAAAA4MErISDg4EETdG93bi56aGFvISDg4CFAD2RvY3RvcjXBxyGAAGtThcVb3QiBAEAjDkMAAADgIYAAJ/TqxlvdCIEAQCMOQwAAAOABA+jgIcAaA+AhAA0BAQEFAQXo4EENMTIzNDU2AQEhIODgAXnBASGAgL63HMRb3QiBAEAjDkMAAADgwQEBASEgAAMhwGMhgACCgR7EW90IgQBAIw5DAAAA4Ojg4ODgIYAAXAFNyFvdCIEAQCMOQwAAAODg";
    private const string WishStoredAtFd3c126 = "ICBAIU4qHG9tC05MnSofDlt8OgJBIWhvbmdxaS1jb21tdW5pdHkJAwFBO1RoZXJtb3MgY3VwIGZvciBhbiA4LXllYXItb2xkQXdMZWZ0LWJlaGluZCBjaGlsZCBpbiBncmlkIDMgbmVlZHMgYSB0aGVybW9zIGN1cCBmb3Igc2Nob29sLiEgAAVBEWNoaWxkcmVuQA13aW50ZXLg4AkDAQEFASkhQBNYaWFvIE1pbmdBFzEzODAwMDAwMDAwQSVHcmlkIDMsIGJ1aWxkaW5nIDLo4AkDEQIBQRNncmlkLndhbmchgAAoHxzEW90IgQBAIw5DAAAA4CGAAI3sOcRb3QiBAEAjDkMAAADgQStEZWxpdmVyZWQgdG8gdGhlIGRvb3IhAAMBEUETVGhhbmsgeW91wS0hgACN7DnEW90IgQBAIw5DAAAA4AEB6ODBASEgAA0hAAUhgAAoHxzEW90IgQBAIw5DAAAA4MEtCQMBwQEJAwHBAejgIAAJIYAACRUixFvdCIEAQCMOQwAAAOBBC2xpLm5hCQMFCQMBCQMFwQHo4CAADSGAAOoKKMRb3QiBAEAjDkMAAADgwXUJAw0JAwUJAwnBAejgIAARIYAAywAuxFvdCIEAQCMOQwAAAODBdQkDTQkDCQkDCUEnd3JvbmcgY29kZSAoMSBvZiA1KejgIAAVIYAArPYzxFvdCIEAQCMOQwAAAODBdQkDEQkDCQkDDcE76OAgABkhgACN7DnEW90IgQBAIw5DAAAA4MEtCQMVCQMNCQMRwUPo4ODgIYAAaMRhCAAAAIEAaMRhCAAAAIEAaMRhCAAAAIEAaMRhCAAAAIEAaMRhCAAAAIEAaMRhCAAAAOjgISAACUEDckADY0ADdEADbeDgIYAAjew5xFvdCIEAQCMOQwAAAODBAQEBwQHBASEg4ODBASEgAAMhwHUhgAAJFSLEW90IgQBAIw5DAAAA4MEBAQXo4ODgwQEhwPvgIQABAQEBAQEB6OBBDTY1NDMyMQEFISAAAyHAdSFAc3JlcXVlc3Q6NmYxYzJhNGUtMGI2ZC00YzRlLTlkMmEtMWYwZTViN2MzYTAyOmVhcm46NjpsaS5uYcEJAT0JAwFBSTZmMWMyYTRlLTBiNmQtNGM0ZS05ZDJhLTFmMGU1YjdjM2EwMkFbV2lzaCAiVGhlcm1vcyBjdXAgZm9yIGFuIDgteWVhci1vbGQiIHZlcmlmaWVkwS0BAejg6ODg4AE9ARkhgAAJFSLEW90IgQBAIw5DAAAA4CGAAKz2M8Rb3QiBAEAjDkMAAADgAT0hIODg4MEB4A==";

    private static readonly JsonSerializerOptions Json = new() { IncludeFields = false };

    private readonly ServiceProvider services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(ServiceRequest).Assembly))
        .BuildServiceProvider();

    private readonly OrleansGrainStorageSerializer storage;

    public StoredShapeTests() => storage = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());

    public void Dispose() => services.Dispose();

    [Fact]
    public void An_activity_stored_by_the_old_shape_loads_with_its_claims_offer_line_escalation_and_reads()
    {
        var expected = StoredRequests.Activity();

        var loaded = Load(ActivityStoredAtFd3c126);

        Assert.Equal(Everything(expected), Everything(loaded));
        var read = Assert.Single(loaded.Request!.ContactReads);
        Assert.Equal(("doctor1", Given.At(4).UtcTicks), (read.By, read.At.UtcTicks));
        Assert.Equal(expected.ReminderDue, loaded.ReminderDue);
        var (before, after) = (expected.Request!, loaded.Request!);
        Assert.True(after.EscalationLevel > 0);
        Assert.NotNull(after.Offer);
        Assert.NotEmpty(after.ContactReads);
        Assert.False(after.Releases.IsDefault); // A field the old shape did not have loads empty, not broken.
        Assert.Empty(after.Releases);
        Assert.Equal(before.CheckClaim("other", Given.CommunityId), after.CheckClaim("other", Given.CommunityId));
        Assert.Equal(before.Ladder.PlaceAt(after.EscalationLevel), after.EscalationPlaceId);
        Assert.Equal(Everything(Advanced(expected)), Everything(Advanced(loaded)));
    }

    [Fact]
    public void A_verified_wish_stored_by_the_old_shape_loads_with_its_points_outbox()
    {
        var expected = StoredRequests.Wish();

        var loaded = Load(WishStoredAtFd3c126);

        Assert.Equal(Everything(expected), Everything(loaded));
        Assert.Empty(loaded.Request!.ContactReads);
        var request = loaded.Request!;
        Assert.Equal(RequestStatus.Verified, request.Status);
        var posting = Assert.Single(request.PendingPostings);
        Assert.Equal(15, posting.Posting.Amount);
        Assert.Null(posting.Posting.Subject); // Stored before postings named their subject.
        Assert.Null(request.AwardRule); // Stored before requests remembered their scheme rule: it posts as before.
        Assert.Null(posting.Posting.Under);
        Assert.True(request.MarkPosted([posting.Posting.Key]));
        Assert.True(request.Outbox.IsEmpty);
    }

    private static RequestGrain.State Advanced(RequestGrain.State state)
    {
        state.Request!.Advance(Given.At(3600));
        return state;
    }

    private RequestGrain.State Load(string base64) =>
        storage.Deserialize<RequestGrain.State>(BinaryData.FromBytes(Convert.FromBase64String(base64)))
        ?? throw new InvalidOperationException("Nothing came back.");

    /// <summary>
    /// Every stored member of the request, as JSON (public getters: the stored fields all have one),
    /// but its contact reads: since 2026-12-06 a claim records its claimant's read, which the steps
    /// replayed here therefore add; each test checks the reads the old shape stored on their own.
    /// A pending posting's subject (since 2026-12-07) is left out too: the old shape has none to load.
    /// </summary>
    private static string Everything(RequestGrain.State state)
    {
        var r = state.Request!;
        return JsonSerializer.Serialize(
            new object?[]
            {
                r.ToView(), r.ToSummary(), r.History, r.Claims, r.PlacePath, r.StageSince, r.OverdueStage,
                r.Acknowledged, r.NextClimbAt, r.Supervisors, r.HandoverTo, r.Offer, r.OfferQueue, r.Dispatches,
                r.CheckInCode, r.FailedCheckIns, r.Award, r.FirstClaimedAt, r.CompletedAt,
                r.PendingPostings.Select(p => p with { Posting = p.Posting with { Subject = null } }),
                r.EarnedAtSeq, r.PointsAwarded, r.Policy,
            },
            Json);
    }
}
