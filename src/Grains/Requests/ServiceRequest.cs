using System.Collections.Immutable;
using System.Text.Json;
using Dispatch.Common;
using Dispatch.Escalation;

namespace Dispatch.Requests;

/// <summary>
/// A request's state machine and claim rules, as plain C#: the request grain holds one of these
/// as its persistent state and stores it after every change this class accepts.
/// </summary>
/// <remarks>
/// open → claimed → inProgress → completed → verified, plus release (back to open), cancel and a
/// rejected verification (back to inProgress). A request with N places stays open while a place
/// is free. Every accepted change appends one entry to <see cref="History"/>.
/// </remarks>
[GenerateSerializer, Alias("Dispatch.ServiceRequest")]
public sealed partial class ServiceRequest
{
    [Id(0)] public Guid Id { get; private set; }
    [Id(1)] public string CommunityId { get; private set; } = "";
    [Id(2)] public RequestKind Kind { get; private set; }
    [Id(3)] public string Title { get; private set; } = "";
    [Id(4)] public string? Description { get; private set; }
    [Id(5)] public ImmutableArray<string> Categories { get; private set; } = [];
    [Id(6)] public Urgency Urgency { get; private set; }
    [Id(7)] public int Places { get; private set; }
    [Id(8)] public int Points { get; private set; }
    [Id(9)] public Beneficiary Beneficiary { get; private set; } = new("", null, null);
    [Id(10)] public RequestStatus Status { get; private set; }
    // Id 11 held the claimants' names before claims carried their time; it stays retired.
    [Id(29)] public ImmutableArray<ClaimRecord> Claims { get; private set; } = [];
    [Id(12)] public int EscalationLevel { get; private set; }
    [Id(13)] public string CreatedBy { get; private set; } = "";
    [Id(14)] public DateTimeOffset CreatedAt { get; private set; }
    [Id(15)] public DateTimeOffset UpdatedAt { get; private set; }
    [Id(16)] public string? CompletionNote { get; private set; }
    [Id(17)] public Verification? Verification { get; private set; }
    [Id(18)] public string? CancelReason { get; private set; }
    [Id(19)] public ImmutableArray<HistoryEntry> History { get; private set; } = [];

    /// <summary>The deadlines of this request, fixed when it was created.</summary>
    [Id(20)] public EscalationPolicy Policy { get; private set; } = EscalationPolicy.Relaxed;

    /// <summary>Place ids from the region down to the request's community: level L is the L-th from the end.</summary>
    [Id(21)] public ImmutableArray<string> PlacePath { get; private set; } = [];

    /// <summary>When the current stage began: its deadline counts from here.</summary>
    [Id(22)] public DateTimeOffset StageSince { get; private set; }

    /// <summary>The stage whose deadline was missed, while the request is overdue.</summary>
    [Id(23)] public Stage? OverdueStage { get; private set; }

    /// <summary>Staff took up the current alert: the climb stops until a later deadline is missed.</summary>
    [Id(24)] public bool Acknowledged { get; private set; }

    [Id(25)] public DateTimeOffset? NextClimbAt { get; private set; }

    /// <summary>The first staff member who took the request up (first-responder ownership).</summary>
    [Id(26)] public string? Owner { get; private set; }

    [Id(27)] public ImmutableArray<string> Supervisors { get; private set; } = [];

    [Id(28)] public string? HandoverTo { get; private set; }

    /// <summary>The highest level: 0 community, 1 town, 2 county, 3 region.</summary>
    public const int MaxLevel = 3;

    /// <summary>Who the request's own clock acts as in the history.</summary>
    public const string SystemActor = "system";

    public ImmutableArray<string> Claimants => [.. Claims.Select(c => c.Volunteer)];

    public bool Overdue => OverdueStage is not null;

    /// <summary>The stage the request is in, or null once it is verified or cancelled.</summary>
    public Stage? CurrentStage => StageOf(Status);

    /// <summary>The place whose staff see the request as an alert at its current level.</summary>
    public string EscalationPlaceId => PlaceAtLevel(EscalationLevel);

    /// <summary>Grows by one with every accepted change: the order of summaries sent to boards.</summary>
    public int Version => History.Length;

    public int FreePlaces => Places - Claims.Length;

    public bool IsFinal => Status.IsFinal();

    /// <param name="policy">Deadlines for this kind and urgency (a relaxed default when null).</param>
    /// <param name="placePath">Place ids from the region down to the community, for the escalation ladder.</param>
    public static ServiceRequest Create(
        Guid id, NewRequest spec, Actor actor, DateTimeOffset now, EscalationPolicy? policy = null, ImmutableArray<string> placePath = default)
    {
        var request = new ServiceRequest
        {
            Id = id,
            CommunityId = spec.CommunityId,
            Kind = spec.Kind,
            Title = spec.Title.Trim(),
            Description = string.IsNullOrWhiteSpace(spec.Description) ? null : spec.Description.Trim(),
            Categories = spec.Categories.IsDefault
                ? []
                : [.. spec.Categories.Select(c => c.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)],
            Urgency = spec.Urgency,
            Places = spec.Places,
            Points = spec.Points,
            Beneficiary = spec.Beneficiary ?? throw new ArgumentException("A request needs a beneficiary.", nameof(spec)),
            Status = RequestStatus.Open,
            CreatedBy = actor.Username,
            CreatedAt = now,
            Policy = policy ?? EscalationPolicy.Relaxed,
            PlacePath = placePath.IsDefault ? [] : placePath,
            StageSince = now,
        };
        request.Record(actor.Username, RequestAction.Created, from: null, RequestStatus.Open, note: null, now);
        return request;
    }

    /// <summary>Why <paramref name="username"/> cannot claim now, or null when a place is theirs for the taking.</summary>
    /// <remarks>Pure and allocation-free: it answers every losing attempt of a claim storm.</remarks>
    public ClaimLoss? CheckClaim(string username, string volunteerCommunityId)
    {
        if (!string.Equals(volunteerCommunityId, CommunityId, StringComparison.Ordinal))
        {
            return ClaimLoss.OutsideCommunity;
        }

        if (IsClaimant(username))
        {
            return ClaimLoss.AlreadyClaimed;
        }

        return Status switch
        {
            RequestStatus.Open => null,
            RequestStatus.Claimed => ClaimLoss.Full,
            _ => ClaimLoss.NotOpen,
        };
    }

    /// <summary>Takes a place for <paramref name="username"/>; call only after <see cref="CheckClaim"/> returned null.</summary>
    public void ApplyClaim(string username, DateTimeOffset now)
    {
        if (CheckClaim(username, CommunityId) is { } loss)
        {
            throw new InvalidOperationException($"Claim by '{username}' is not allowed: {loss}.");
        }

        var from = Status;
        Claims = Claims.Add(new ClaimRecord(username, now));
        Status = FreePlaces == 0 ? RequestStatus.Claimed : RequestStatus.Open;
        Record(username, RequestAction.Claimed, from, Status, note: null, now);
        OnStatusChanged(from, now);
    }

    /// <summary>The claimant gives their place back; the request is open again (or stays in progress for the others).</summary>
    public Failure? Release(Actor actor, DateTimeOffset now)
    {
        if (!IsClaimant(actor.Username))
        {
            return NotClaimant(actor);
        }

        if (Status is not (RequestStatus.Open or RequestStatus.Claimed or RequestStatus.InProgress))
        {
            return WrongStatus("release");
        }

        RemoveClaim(actor.Username, RequestAction.Released, actor.Username, note: null, now, clock: now);
        return null;
    }

    /// <summary>A claimant starts the work; no further claims are taken.</summary>
    public Failure? Start(Actor actor, DateTimeOffset now)
    {
        if (!IsClaimant(actor.Username))
        {
            return NotClaimant(actor);
        }

        if (Status is not (RequestStatus.Open or RequestStatus.Claimed))
        {
            return WrongStatus("start");
        }

        return Move(actor, RequestAction.Started, RequestStatus.InProgress, note: null, now);
    }

    /// <summary>A claimant, or staff in scope, reports the work done.</summary>
    public Failure? Complete(Actor actor, string? note, DateTimeOffset now)
    {
        if (!actor.IsStaff && !IsClaimant(actor.Username))
        {
            return NotClaimant(actor);
        }

        if (Status != RequestStatus.InProgress)
        {
            return WrongStatus("complete");
        }

        CompletionNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        return Move(actor, RequestAction.Completed, RequestStatus.Completed, CompletionNote, now);
    }

    /// <summary>Staff accept the completion (closing the request) or reject it (back to in progress).</summary>
    public Failure? Verify(Actor actor, bool approved, int? rating, string? comment, DateTimeOffset now)
    {
        if (!actor.IsStaff)
        {
            return StaffOnly("verify");
        }

        if (Status != RequestStatus.Completed)
        {
            return WrongStatus("verify");
        }

        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        Verification = new Verification(approved, approved ? rating : null, comment, actor.Username, now);
        return approved
            ? Move(actor, RequestAction.Verified, RequestStatus.Verified, comment, now)
            : Move(actor, RequestAction.VerificationRejected, RequestStatus.InProgress, comment, now);
    }

    /// <summary>Staff withdraw the request, with a reason; every claim ends.</summary>
    public Failure? Cancel(Actor actor, string reason, DateTimeOffset now)
    {
        if (!actor.IsStaff)
        {
            return StaffOnly("cancel");
        }

        if (IsFinal)
        {
            return WrongStatus("cancel");
        }

        CancelReason = reason.Trim();
        return Move(actor, RequestAction.Cancelled, RequestStatus.Cancelled, CancelReason, now);
    }

    /// <summary>
    /// True while <paramref name="username"/> holds a claim that counts against their limit: from
    /// the claim until it is released, cancelled or verified (a rejected verification sends the
    /// work back to the same claimants).
    /// </summary>
    public bool HasActiveClaim(string username) =>
        !IsFinal && IsClaimant(username);

    public bool IsClaimant(string username)
    {
        foreach (var claim in Claims)
        {
            if (string.Equals(claim.Volunteer, username, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public RequestView ToView() => new(
        Id, CommunityId, Kind, Title, Description, Categories, Urgency, Status, Places, Claimants,
        EscalationLevel, Points, Beneficiary, CreatedBy, CreatedAt, UpdatedAt, Version,
        CompletionNote, Verification, CancelReason, Overdue, OverdueStage, EscalationPlaceId,
        Deadlines(), Policy, Owner, Supervisors, HandoverTo);

    public RequestSummary ToSummary() => new(
        Id, CommunityId, Kind, Title, Categories, Urgency, Status, Places, Claims.Length,
        EscalationLevel, Points, CreatedAt, UpdatedAt, Version, Overdue, Owner, Claimants,
        History.IsEmpty ? RequestAction.Created : History[^1].Action, EscalationPlaceId);

    private Failure? Move(Actor actor, RequestAction action, RequestStatus to, string? note, DateTimeOffset now)
    {
        var from = Status;
        Status = to;
        Record(actor.Username, action, from, to, note, now);
        OnStatusChanged(from, now);
        return null;
    }

    private void RemoveClaim(string volunteer, RequestAction action, string actor, string? note, DateTimeOffset now, DateTimeOffset clock)
    {
        var from = Status;
        Claims = Claims.RemoveAll(c => c.Volunteer == volunteer);
        Status = from == RequestStatus.InProgress && Claims.Length > 0 ? RequestStatus.InProgress : RequestStatus.Open;
        Record(actor, action, from, Status, note, now);
        OnStatusChanged(from, clock);
    }

    private void Record(string actor, RequestAction action, RequestStatus? from, RequestStatus to, string? note, DateTimeOffset now)
    {
        UpdatedAt = now;
        History = History.Add(new HistoryEntry(History.Length + 1, now, actor, action, from, to, note));
    }

    private static Failure NotClaimant(Actor actor) =>
        Failure.Forbidden("notClaimant", $"'{actor.Username}' does not hold a claim on this request.");

    private static Failure StaffOnly(string operation) =>
        Failure.Forbidden("staffOnly", $"Only staff may {operation} a request.");

    private Failure WrongStatus(string operation) =>
        Failure.Conflict("invalidTransition", $"Cannot {operation} a request that is {JsonNamingPolicy.CamelCase.ConvertName(Status.ToString())}.");
}

/// <summary>One claim on a request: who, and since when (the claim expires if not started in time).</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ClaimRecord")]
public sealed record ClaimRecord(string Volunteer, DateTimeOffset At);
