using System.Collections.Frozen;
using Dispatch.Common;

namespace Dispatch.Requests;

/// <summary>
/// The answer to a claim that lost, for each <see cref="ClaimLoss"/>: one shared
/// <see cref="Failure"/> and <see cref="Outcome{T}"/> per reason. Losers vastly outnumber winners
/// in a claim storm; shared immutable answers keep their path free of allocation and copying.
/// </summary>
public static class ClaimRefusals
{
    private static readonly FrozenDictionary<ClaimLoss, Outcome<RequestView>> ByLoss = new Dictionary<ClaimLoss, Failure>
    {
        [ClaimLoss.Full] = Failure.Conflict("full", "Every place of this request is taken."),
        [ClaimLoss.NotOpen] = Failure.Conflict("notOpen", "This request is not taking claims."),
        [ClaimLoss.AlreadyClaimed] = Failure.Conflict("alreadyClaimed", "You already hold a claim on this request."),
        [ClaimLoss.ClaimLimit] = Failure.Conflict("claimLimit", "You hold as many active claims as allowed."),
        [ClaimLoss.Reserved] = Failure.Conflict("reserved", "The last free place is reserved for a volunteer it was offered to."),
        [ClaimLoss.NotEnoughPlaces] = Failure.Conflict("notEnoughPlaces", "Fewer places are free than were asked for; nothing was claimed."),
        [ClaimLoss.CoolingDown] = Failure.Conflict("coolingDown", "You released this request a moment ago; you may claim it again after the cool-down."),
        [ClaimLoss.OutsideCommunity] = Failure.Forbidden("outsideCommunity", "This request belongs to another community."),
        [ClaimLoss.NotFound] = new(FailureKind.NotFound, "notFound", "This request does not exist."),
    }.ToFrozenDictionary(pair => pair.Key, pair => new Outcome<RequestView>(null, pair.Value));

    private static readonly FrozenDictionary<string, ClaimLoss> ByCode =
        ByLoss.ToFrozenDictionary(pair => pair.Value.Failure!.Code, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>Every refusal a claim can get.</summary>
    public static IEnumerable<Failure> All => ByLoss.Values.Select(outcome => outcome.Failure!);

    /// <summary>The shared answer to a claim lost for <paramref name="loss"/>.</summary>
    public static Outcome<RequestView> Lost(ClaimLoss loss) => ByLoss[loss];

    /// <summary>The refusal for <paramref name="loss"/>; its <see cref="Failure.Code"/> is the answer's <c>reason</c>.</summary>
    public static Failure Of(ClaimLoss loss) => ByLoss[loss].Failure!;

    /// <summary>Why a claim lost, when <paramref name="failure"/> is a claim's refusal (not, say, an organisation's).</summary>
    public static ClaimLoss? LossOf(Failure? failure) =>
        failure is not null && ByCode.TryGetValue(failure.Code, out var loss) && ByLoss[loss].Failure!.Kind == failure.Kind ? loss : null;
}

/// <summary>How the answer to a claim reads: won, or lost and why.</summary>
public static class ClaimOutcomes
{
    extension(Outcome<RequestView> outcome)
    {
        /// <summary>True when the claim won: the request, as stored with the claim, is the value.</summary>
        public bool Won => outcome.Succeeded;

        /// <summary>Why the claim lost; null when it won or was refused for another reason (an organisation's, say).</summary>
        public ClaimLoss? Loss => ClaimRefusals.LossOf(outcome.Failure);
    }
}
