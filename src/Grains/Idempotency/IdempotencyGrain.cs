namespace Dispatch.Idempotency;

/// <summary>
/// Remembers the answer given for one Idempotency-Key. While the first request with the key runs,
/// a concurrent retry is told so rather than run twice; the answer is kept for
/// <see cref="Retention"/>, after which the silo's sweep removes it from the store
/// (<c>IdempotencySweeper</c>). An answer that showed a request is kept as its id only (see
/// <see cref="StoredResponse.RequestId"/>): no contact or check-in code is stored here.
/// </summary>
public sealed class IdempotencyGrain(
    [PersistentState("idempotency", StorageNames.Dispatch)] IPersistentState<IdempotencyGrain.State> state,
    TimeProvider time) : Grain, IIdempotencyGrain
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a started request may hold the key before a retry may run again (its host may have
    /// died): just over Orleans' 30-second response timeout, by when the started request has
    /// answered or failed.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(40);

    private string? runningFingerprint;
    private DateTimeOffset runningSince;

    public async Task<IdempotencyBegin> Begin(string fingerprint)
    {
        var now = time.GetUtcNow();
        if (state.State.Response is { } response)
        {
            if (now - state.State.CompletedAt < Retention)
            {
                return state.State.Fingerprint == fingerprint
                    ? new IdempotencyBegin(IdempotencyStatus.Completed, response)
                    : new IdempotencyBegin(IdempotencyStatus.Mismatch, null);
            }

            // The sweep may have removed the row already: read what is stored before clearing it.
            await state.ReadStateAsync();
            if (state.State.Response is not null)
            {
                await state.ClearStateAsync();
            }
        }

        if (runningFingerprint is not null && now - runningSince < Lease)
        {
            return new IdempotencyBegin(
                runningFingerprint == fingerprint ? IdempotencyStatus.InProgress : IdempotencyStatus.Mismatch, null);
        }

        runningFingerprint = fingerprint;
        runningSince = now;
        return new IdempotencyBegin(IdempotencyStatus.Started, null);
    }

    public async Task Complete(string fingerprint, StoredResponse response)
    {
        if (runningFingerprint != fingerprint)
        {
            return;
        }

        state.State.Fingerprint = fingerprint;
        state.State.Response = response;
        state.State.CompletedAt = time.GetUtcNow();
        await state.WriteOrReloadAsync(this);
        runningFingerprint = null;
    }

    public Task Abandon(string fingerprint)
    {
        if (runningFingerprint == fingerprint)
        {
            runningFingerprint = null;
        }

        return Task.CompletedTask;
    }

    [GenerateSerializer, Alias("Dispatch.IdempotencyGrain.State")]
    public sealed class State
    {
        [Id(0)] public string? Fingerprint { get; set; }
        [Id(1)] public StoredResponse? Response { get; set; }
        [Id(2)] public DateTimeOffset CompletedAt { get; set; }
    }
}
