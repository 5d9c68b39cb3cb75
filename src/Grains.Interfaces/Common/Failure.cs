namespace Dispatch.Common;

/// <summary>What kind of refusal a failure is; the web host maps it to an HTTP status.</summary>
public enum FailureKind
{
    Invalid,
    NotFound,
    Forbidden,
    Conflict,

    /// <summary>Refused by a limit until <see cref="Failure.RetryAt"/> (429).</summary>
    TooMany,
}

/// <summary>
/// A refused operation, returned rather than thrown: refusals are ordinary outcomes (a lost claim,
/// a transition from the wrong status) and must stay cheap on hot paths.
/// </summary>
/// <param name="Code">A stable, camelCase machine-readable reason, e.g. <c>notClaimant</c>.</param>
/// <param name="Field">The input field at fault, when there is one.</param>
/// <param name="Limit">The bound the input broke, when there is one (the most minutes that still fit), so that a reader can word it.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.Failure")]
public sealed record Failure(FailureKind Kind, string Code, string Detail, string? Field = null, DateTimeOffset? RetryAt = null, int? Limit = null)
{
    public static Failure NotFound(string what, string id) => new(FailureKind.NotFound, "notFound", $"{what} '{id}' does not exist.");
    public static Failure Invalid(string field, string detail) => new(FailureKind.Invalid, "invalid", detail, field);
    public static Failure Conflict(string code, string detail) => new(FailureKind.Conflict, code, detail);
    public static Failure Forbidden(string code, string detail) => new(FailureKind.Forbidden, code, detail);
    public static Failure TooMany(string code, string detail, DateTimeOffset retryAt) => new(FailureKind.TooMany, code, detail, RetryAt: retryAt);
}

/// <summary>Either a value or the failure that prevented it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Outcome`1")]
public sealed record Outcome<T>(T? Value, Failure? Failure)
    where T : class
{
    public bool Succeeded => Failure is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Failure failure) => new(null, failure);
}
