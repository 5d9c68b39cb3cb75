using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Volunteers;

namespace Dispatch.Requests;

/// <summary>
/// The request grain's claim path (ARCHITECTURE.md, "The path of a claim"): a losing attempt is
/// answered from memory; a possible winner holds its places, waits for a turn, takes a claim slot
/// from the volunteer's grain, and only then is its claim applied and stored.
/// </summary>
/// <remarks>
/// Runs on the grain's scheduler, like the grain itself: no locks, only the grain's
/// <see cref="TurnGate"/> for the part that changes the request. What it owns is what exists only
/// while claims are being decided: the places held (<see cref="PendingClaims"/>) and the volunteers
/// being asked for a slot, which <see cref="IsTakingSlot"/> tells a volunteer's grain checking
/// for stale slots.
/// </remarks>
/// <param name="turns">The grain's line of changes.</param>
/// <param name="current">The request as it is in memory (null before it is created).</param>
/// <param name="volunteer">A volunteer's grain, by username.</param>
/// <param name="checkOrganisation">Null when a member (second) may claim for an organisation (first) in a community (third); else the refusal.</param>
/// <param name="store">Stores the request (throws, and drops the activation, when the write fails).</param>
/// <param name="stored">What follows a stored change, given the version before it.</param>
/// <param name="reclaimCoolDown">How long a volunteer who released the request waits before claiming it again.</param>
internal sealed class ClaimPath(
    TurnGate turns,
    Func<ServiceRequest?> current,
    Func<string, IVolunteerGrain> volunteer,
    Func<string, string, string, Task<Failure?>> checkOrganisation,
    Func<Task> store,
    Func<ServiceRequest, int, Task> stored,
    TimeProvider time,
    TimeSpan reclaimCoolDown)
{
    private readonly PendingClaims pending = new();

    // Volunteers asked for a claim slot whose claim is not yet stored (or whose slot is being handed
    // back): their volunteer grain must not take the slot for a stale one while it checks its own.
    private readonly HashSet<string> slotsInFlight = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="username"/>'s grain is being asked for a slot for this request right now.</summary>
    public bool IsTakingSlot(string username) => slotsInFlight.Contains(username);

    /// <summary>A volunteer's claim, or an organisation's through a member (<see cref="ClaimForOrganisation"/>).</summary>
    public Task<Outcome<RequestView>> Claim(Claimant claimant) =>
        claimant.OrganisationId is null ? ClaimOwn(claimant) : ClaimForOrganisation(claimant, claimant.OrganisationId);

    /// <summary>An organisation claims through a member, in the request's community, if it reports in there.</summary>
    private async Task<Outcome<RequestView>> ClaimForOrganisation(Claimant claimant, string organisationId)
    {
        if (current() is not { } request)
        {
            return ClaimRefusals.Lost(ClaimLoss.NotFound);
        }

        return await checkOrganisation(organisationId, claimant.Username, request.CommunityId) is { } refused
            ? refused
            : await ClaimOwn(claimant with { CommunityId = request.CommunityId });
    }

    private async Task<Outcome<RequestView>> ClaimOwn(Claimant claimant)
    {
        // The losing path: answered from memory, no I/O, no other grain, a shared result. Only
        // claims that stand (or are being stored) refuse; claims still being decided make it wait.
        while (true)
        {
            if (current() is not { } request)
            {
                return ClaimRefusals.Lost(ClaimLoss.NotFound);
            }

            if (request.CheckClaim(claimant.Username, claimant.CommunityId, claimant.Places, time.GetUtcNow(), reclaimCoolDown) is { } loss)
            {
                return ClaimRefusals.Lost(loss);
            }

            if (!pending.Blocks(claimant.Username, claimant.Places, request.FreePlacesFor(claimant.Username)))
            {
                break;
            }

            await pending.Released();
        }

        // It may win: its places are held while it waits its turn and asks the volunteer, until
        // the claim is applied (the places then count as taken), so that never more are held and
        // taken than the request has.
        using var hold = pending.Take(claimant.Username, claimant.Places);
        return await turns.Run(async () =>
        {
            // Only the request itself now: others' holds are decided in their own turns.
            if (current() is not { } request)
            {
                return ClaimRefusals.Lost(ClaimLoss.NotFound);
            }

            if (request.CheckClaim(claimant.Username, claimant.CommunityId, claimant.Places, time.GetUtcNow(), reclaimCoolDown) is { } lost)
            {
                return ClaimRefusals.Lost(lost); // Something changed while it waited.
            }

            // A place is free: only now is the volunteer asked for one of their claim slots.
            if (!await TakeSlot(request, claimant.Username, () =>
                {
                    request.ApplyClaim(claimant.Username, time.GetUtcNow(), claimant.OrganisationId, claimant.Places);
                    hold.Dispose();
                }))
            {
                return ClaimRefusals.Lost(ClaimLoss.ClaimLimit);
            }

            return request.ToView();
        });
    }

    /// <summary>
    /// The offered volunteer accepts: like a winning claim, their slot is taken and the acceptance
    /// stored; refused (<c>claimLimit</c>) when they hold as many claims as allowed. Call in a turn.
    /// </summary>
    public async Task<Outcome<RequestView>> AcceptOffer(ServiceRequest request, Actor actor)
    {
        if (request.CheckAccept(actor) is { } refused)
        {
            return refused;
        }

        return await TakeSlot(request, actor.Username, () => request.AcceptOffer(actor, time.GetUtcNow()))
            ? request.ToView()
            : Failure.Conflict("claimLimit", "You hold as many active claims as allowed; the offer stays open until it lapses.");
    }

    /// <summary>
    /// The attempts in order, each through <paramref name="claim"/>; stops at the first that throws
    /// (its claim was not stored) once one was answered.
    /// </summary>
    public static async Task<ImmutableArray<Outcome<RequestView>>> ClaimEach(
        ImmutableArray<Claimant> claimants, Func<Claimant, Task<Outcome<RequestView>>> claim)
    {
        var results = ImmutableArray.CreateBuilder<Outcome<RequestView>>(claimants.Length);
        foreach (var claimant in claimants)
        {
            try
            {
                results.Add(await claim(claimant));
            }
            catch when (results.Count > 0)
            {
                // Its claim was not stored: the caller asks again, and it then comes first.
                break;
            }
        }

        return results.ToImmutable();
    }

    /// <summary>
    /// Reserves one of the volunteer's claim slots, applies the claim (<paramref name="claim"/>),
    /// and stores it: the slot is handed back if the write fails, since an unstored claim was never
    /// made. False when the volunteer is at their claim limit. Call in a turn.
    /// </summary>
    private async Task<bool> TakeSlot(ServiceRequest request, string username, Action claim)
    {
        var grain = volunteer(username);
        var before = request.Version;
        slotsInFlight.Add(username);
        try
        {
            if (!await grain.TryReserveClaim(request.Id))
            {
                return false;
            }

            claim();
            try
            {
                await store();
            }
            catch
            {
                // Not stored, so not claimed (and this activation is dropped): hand the slot back.
                await grain.EndClaim(request.Id, ClaimEnd.Released);
                throw;
            }
        }
        finally
        {
            slotsInFlight.Remove(username);
        }

        await stored(request, before);
        return true;
    }
}
