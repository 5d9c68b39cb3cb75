using System.Collections.Concurrent;
using System.Reflection;
using Orleans.Concurrency;

namespace Dispatch;

/// <summary>
/// One activation's line of changes, for a grain that lets some calls interleave: work run through
/// the gate runs one at a time, after every change before it and before every one after it.
/// </summary>
/// <remarks>
/// Orleans already runs a non-reentrant grain's calls one at a time, but a grain with
/// <see cref="AlwaysInterleaveAttribute"/> methods (a cheap read, the losing path of a claim) needs
/// the interleaving call to step into the line only at the point where it may change something.
/// So the grain filters its incoming calls through <see cref="Admit"/> (every call that does not
/// interleave takes a turn), its timers run through <see cref="Run{T}"/>, and an interleaving call
/// takes a turn for its changing part.
/// <para>
/// Work started by the holder of a turn (on its async flow) runs inline, so a turn that runs a
/// timer's work does not wait for itself. A failing turn is released like any other. Waiters get
/// their turns one at a time, in no promised order.
/// </para>
/// </remarks>
public sealed class TurnGate : IDisposable
{
    // The gate whose turn the current async flow holds.
    private static readonly AsyncLocal<TurnGate?> Holder = new();

    // Which interface methods interleave, looked up once each rather than by reflection on every call.
    private static readonly ConcurrentDictionary<MethodInfo, bool> InterleavingMethods = new();

    private readonly SemaphoreSlim turns = new(1, 1);

    /// <summary>Whether the current async flow holds this gate's turn.</summary>
    public bool IsHeld => ReferenceEquals(Holder.Value, this);

    /// <summary>Whether calls to <paramref name="method"/> interleave (and so take a turn only when they ask for one).</summary>
    public static bool Interleaves(MethodInfo method) =>
        InterleavingMethods.GetOrAdd(method, m => m.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: true));

    /// <summary>For a grain's <see cref="IIncomingGrainCallFilter"/>: an interleaving call runs at once, every other call in a turn.</summary>
    public Task Admit(IIncomingGrainCallContext context) =>
        context.InterfaceMethod is { } method && Interleaves(method) ? context.Invoke() : Run(context.Invoke);

    /// <summary>Runs <paramref name="work"/> in a turn of its own, or at once if this flow holds the turn already.</summary>
    public async Task<T> Run<T>(Func<Task<T>> work)
    {
        if (IsHeld)
        {
            return await work();
        }

        await turns.WaitAsync();
        Holder.Value = this;
        try
        {
            return await work();
        }
        finally
        {
            Holder.Value = null;
            turns.Release();
        }
    }

    /// <inheritdoc cref="Run{T}"/>
    public Task Run(Func<Task> work) => Run(async () =>
    {
        await work();
        return true;
    });

    public void Dispose() => turns.Dispose();
}
