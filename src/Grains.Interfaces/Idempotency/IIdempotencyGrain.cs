using Dispatch.Common;

namespace Dispatch.Idempotency;

/// <summary>One Idempotency-Key of one account, keyed by <see cref="GrainKeys.Idempotency"/>.</summary>
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <param name="fingerprint">Method, path and body hash: the same key must not be reused for another request.</param>
    Task<IdempotencyBegin> Begin(string fingerprint);

    Task Complete(string fingerprint, StoredResponse response);

    /// <summary>Gives the key up without an answer (the request failed), so a retry runs again.</summary>
    Task Abandon(string fingerprint);
}
