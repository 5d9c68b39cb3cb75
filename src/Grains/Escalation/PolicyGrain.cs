using System.Collections.Immutable;
using Dispatch.Requests;
using Microsoft.Extensions.Options;

namespace Dispatch.Escalation;

/// <summary>Admin-set policies over the configured defaults. Read once per new request.</summary>
public sealed class PolicyGrain(
    [PersistentState("policies", StorageNames.Dispatch)] IPersistentState<PolicyGrain.State> state,
    IOptions<EscalationOptions> defaults,
    TimeProvider time) : Grain, IPolicyGrain
{
    public Task<ImmutableArray<PolicyEntry>> GetAll() => Task.FromResult<ImmutableArray<PolicyEntry>>(
        [.. from kind in Enum.GetValues<RequestKind>()
            from urgency in Enum.GetValues<Urgency>()
            select Entry(kind, urgency)]);

    public Task<EscalationPolicy> Get(RequestKind kind, Urgency urgency) => Task.FromResult(Entry(kind, urgency).Policy);

    public Task<EscalationPolicy> GetDefault(Urgency urgency) => Task.FromResult(defaults.Value.For(urgency));

    public async Task<PolicyEntry> Set(RequestKind kind, Urgency urgency, EscalationPolicy policy, string changedBy)
    {
        var entry = new PolicyEntry(kind, urgency, policy, changedBy, time.GetUtcNow());
        state.State.Overrides[Key(kind, urgency)] = entry;
        await state.WriteOrReloadAsync(this);
        return entry;
    }

    private PolicyEntry Entry(RequestKind kind, Urgency urgency) =>
        state.State.Overrides.TryGetValue(Key(kind, urgency), out var set)
            ? set
            : new PolicyEntry(kind, urgency, defaults.Value.For(urgency), null, null);

    private static string Key(RequestKind kind, Urgency urgency) => $"{kind}:{urgency}";

    [GenerateSerializer, Alias("Dispatch.PolicyGrain.State")]
    public sealed class State
    {
        [Id(0)] public Dictionary<string, PolicyEntry> Overrides { get; set; } = [];
    }
}
