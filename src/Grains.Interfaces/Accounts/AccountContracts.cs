using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Accounts;

[GenerateSerializer, Immutable, Alias("Dispatch.NewAccount")]
public sealed record NewAccount(
    string Username,
    string Password,
    string DisplayName,
    AccountRole Role,
    string PlaceId,
    ImmutableArray<string> Skills);

/// <summary>An account as others may see it: never its password or hash.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.AccountView")]
public sealed record AccountView(
    string Username,
    string DisplayName,
    AccountRole Role,
    string PlaceId,
    ImmutableArray<string> Skills,
    string CreatedBy,
    DateTimeOffset CreatedAt);
