using System.Collections.Immutable;

namespace Dispatch.Idempotency;

/// <summary>An HTTP answer kept so that a retry with the same Idempotency-Key gets it again.</summary>
/// <param name="RequestId">
/// Set when the answer was a request: then <paramref name="Body"/> is empty, and a replay reads the
/// request again and shows it through the same privacy filter as any read, so that no
/// beneficiary contact or check-in code is ever stored with the answer.
/// </param>
[GenerateSerializer, Immutable, Alias("Dispatch.StoredResponse")]
public sealed record StoredResponse(int StatusCode, string? ContentType, string? Location, ImmutableArray<byte> Body, Guid? RequestId = null);

public enum IdempotencyStatus
{
    /// <summary>First use of the key: go ahead, then call Complete.</summary>
    Started,

    /// <summary>The same key is being processed right now.</summary>
    InProgress,

    /// <summary>Done before: replay the stored response.</summary>
    Completed,

    /// <summary>The key was used for a different request.</summary>
    Mismatch,
}

[GenerateSerializer, Immutable, Alias("Dispatch.IdempotencyBegin")]
public sealed record IdempotencyBegin(IdempotencyStatus Status, StoredResponse? Response);
