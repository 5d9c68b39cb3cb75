using Dispatch.Common;

namespace Dispatch.Open311;

/// <summary>
/// One Open311 API key, keyed by its id (the first part of the key). It keeps the SHA-256 of the
/// key, never the key; every change is stored before it is answered.
/// </summary>
public interface IOpen311KeyGrain : IGrainWithGuidKey
{
    /// <summary>Records a new key bound to <paramref name="jurisdictionId"/>; an id already in use is a conflict.</summary>
    Task<Outcome<Open311KeyInfo>> Create(string jurisdictionId, string name, string keyHash, Actor actor);

    /// <summary>The key when <paramref name="keyHash"/> is its hash and it is not revoked; otherwise null.</summary>
    Task<Open311KeyInfo?> Authenticate(string keyHash);

    /// <summary>The key as admins see it (never the key itself); null when no key has this id.</summary>
    Task<Open311KeyInfo?> Get();

    /// <summary>Revokes the key for good; revoking it again changes nothing.</summary>
    Task<Outcome<Open311KeyInfo>> Revoke(Actor actor);
}
