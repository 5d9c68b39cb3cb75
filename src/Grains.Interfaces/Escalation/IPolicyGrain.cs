using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Requests;

namespace Dispatch.Escalation;

/// <summary>The escalation policies of the whole service, keyed by <see cref="GrainKeys.Policies"/>.</summary>
public interface IPolicyGrain : IGrainWithStringKey
{
    /// <summary>All twelve kind × urgency policies, defaults included.</summary>
    Task<ImmutableArray<PolicyEntry>> GetAll();

    Task<EscalationPolicy> Get(RequestKind kind, Urgency urgency);

    /// <summary>The configured default for <paramref name="urgency"/>, whatever admins have set (the silos hold the configuration).</summary>
    Task<EscalationPolicy> GetDefault(Urgency urgency);

    /// <summary>Replaces one policy; requests created afterwards use it.</summary>
    Task<PolicyEntry> Set(RequestKind kind, Urgency urgency, EscalationPolicy policy, string changedBy);
}
