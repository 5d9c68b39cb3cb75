using System.Collections.Immutable;

namespace Dispatch.Requests;

/// <summary>
/// Who among staff has taken a request up (<see cref="ServiceRequest.Owner"/>,
/// <see cref="ServiceRequest.Supervisors"/> and <see cref="ServiceRequest.HandoverTo"/>, as stored):
/// the first responder owns it, others supervise, and the owner may hand it over.
/// </summary>
public readonly record struct Ownership(string? Owner, ImmutableArray<string> Supervisors, string? HandoverTo)
{
    /// <summary>Whether <paramref name="username"/> owns or supervises the request.</summary>
    public bool Holds(string username) => Owner == username || Supervisors.Contains(username);

    /// <summary><paramref name="username"/> takes the request up: the owner if nobody owns it, a supervisor otherwise; with the role they hold.</summary>
    public (Ownership Ownership, string Role) TakeUp(string username) =>
        Owner is null ? (this with { Owner = username }, "owner")
        : Owner == username ? (this, "owner")
        : (this with { Supervisors = Supervisors.Contains(username) ? Supervisors : Supervisors.Add(username) }, "supervisor");

    /// <summary>Adds <paramref name="staff"/> as supervisors, in order, each once and never the owner; <paramref name="added"/> are the new ones.</summary>
    public Ownership WithSupervisors(IEnumerable<string> staff, out ImmutableArray<string> added)
    {
        var (owner, supervisors) = (Owner, Supervisors);
        added = [.. staff.Where(s => s != owner && !supervisors.Contains(s)).Distinct()];
        return added.IsEmpty ? this : this with { Supervisors = Supervisors.AddRange(added) };
    }

    /// <summary>The handover offered to <paramref name="to"/> is accepted: they own the request, the previous owner supervises it.</summary>
    public Ownership HandedOver(string to) => new(
        to, Supervisors.Remove(to).Remove(Owner!).Add(Owner!), HandoverTo: null);
}
