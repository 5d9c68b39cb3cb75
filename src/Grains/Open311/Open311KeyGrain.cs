using Dispatch.Common;
using Microsoft.Extensions.Logging;

namespace Dispatch.Open311;

/// <summary>One Open311 API key: its SHA-256 and the jurisdiction it is bound to; revocable, never deleted.</summary>
public sealed partial class Open311KeyGrain(
    [PersistentState("open311Key", StorageNames.Dispatch)] IPersistentState<Open311KeyGrain.State> state,
    TimeProvider time,
    ILogger<Open311KeyGrain> logger) : Grain, IOpen311KeyGrain
{
    public async Task<Outcome<Open311KeyInfo>> Create(string jurisdictionId, string name, string keyHash, Actor actor)
    {
        if (state.State.Key is not null)
        {
            return Failure.Conflict("alreadyExists", $"Open311 key '{this.GetPrimaryKey()}' already exists.");
        }

        state.State.Key = new Open311KeyInfo(this.GetPrimaryKey(), jurisdictionId, name, actor.Username, time.GetUtcNow(), null, null);
        state.State.Hash = keyHash;
        await Store();
        LogCreated(state.State.Key.Id, jurisdictionId, actor.Username);
        return state.State.Key;
    }

    public Task<Open311KeyInfo?> Authenticate(string keyHash) => Task.FromResult(
        state.State.Key is { Revoked: false } key && Open311Keys.HashesEqual(state.State.Hash, keyHash) ? key : null);

    public Task<Open311KeyInfo?> Get() => Task.FromResult(state.State.Key);

    public async Task<Outcome<Open311KeyInfo>> Revoke(Actor actor)
    {
        if (state.State.Key is not { } key)
        {
            return Failure.NotFound("Open311 key", this.GetPrimaryKey().ToString());
        }

        if (!key.Revoked)
        {
            state.State.Key = key with { RevokedBy = actor.Username, RevokedAt = time.GetUtcNow() };
            await Store();
            LogRevoked(key.Id, actor.Username);
        }

        return state.State.Key;
    }

    private async Task Store()
    {
        try
        {
            await state.WriteOrReloadAsync(this);
        }
        catch (Exception exception)
        {
            LogWriteFailed(exception, this.GetPrimaryKey());
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Open311 key {KeyId} issued for {JurisdictionId} by {Admin}")]
    private partial void LogCreated(Guid keyId, string jurisdictionId, string admin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Open311 key {KeyId} revoked by {Admin}")]
    private partial void LogRevoked(Guid keyId, string admin);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing Open311 key {KeyId} failed; the activation will reload")]
    private partial void LogWriteFailed(Exception exception, Guid keyId);

    [GenerateSerializer, Alias("Dispatch.Open311KeyGrain.State")]
    public sealed class State
    {
        [Id(0)] public Open311KeyInfo? Key { get; set; }

        /// <summary>The SHA-256 of the key, in lower-case hex.</summary>
        [Id(1)] public string Hash { get; set; } = "";
    }
}
