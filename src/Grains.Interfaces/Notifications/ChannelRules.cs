using System.Collections.Immutable;
using System.Net;
using Dispatch.Applications;
using Dispatch.Common;

namespace Dispatch.Notifications;

/// <summary>
/// The rules of channel settings as plain C#: what a place's robots, webhooks and e-mail addresses
/// and a person's own channels may be. A change names existing robots and webhooks by id to keep
/// their write-only URL and secrets; errors name the JSON field (<c>webhooks[1].secrets</c>).
/// </summary>
public static class ChannelRules
{
    public const int MaxRobots = 10;
    public const int MaxWebhooks = 10;
    public const int MaxEmails = 20;
    public const int MaxSecrets = 3;
    public const int MaxUrlLength = 2048;
    public const int MaxSecretLength = 200;
    public const int MaxEmailLength = 254;
    public const string SecretPrefix = "whsec_";

    /// <summary>The settings <paramref name="change"/> makes of <paramref name="current"/>, or what is wrong with it; <paramref name="newId"/> names new robots and webhooks.</summary>
    public static ChannelsResult<PlaceChannels> Apply(PlaceChannelsChange change, PlaceChannels current, Func<string> newId)
    {
        var errors = new ValidationErrors();
        var robots = ImmutableArray.CreateBuilder<RobotChannel>();
        var changes = change.Robots ?? [];
        errors.Require(changes.Length <= MaxRobots, "robots", $"A place has at most {MaxRobots} robots.");
        for (var i = 0; i < changes.Length; i++)
        {
            if (Robot(changes[i], current, $"robots[{i}]", errors, newId) is { } robot)
            {
                robots.Add(robot);
            }
        }

        var webhooks = ImmutableArray.CreateBuilder<WebhookChannel>();
        var hooks = change.Webhooks ?? [];
        errors.Require(hooks.Length <= MaxWebhooks, "webhooks", $"A place has at most {MaxWebhooks} webhooks.");
        for (var i = 0; i < hooks.Length; i++)
        {
            if (Webhook(hooks[i], current, $"webhooks[{i}]", errors, newId) is { } webhook)
            {
                webhooks.Add(webhook);
            }
        }

        DuplicateIds(changes.Select(r => r.Id), "robots", errors);
        DuplicateIds(hooks.Select(w => w.Id), "webhooks", errors);

        var emails = change.Emails ?? [];
        errors.Require(emails.Length <= MaxEmails, "emails", $"A place has at most {MaxEmails} e-mail addresses.");
        for (var i = 0; i < emails.Length; i++)
        {
            errors.Require(IsEmail(emails[i]), $"emails[{i}]", $"'{emails[i]}' is not an e-mail address.");
        }

        errors.Require(emails.Distinct(StringComparer.OrdinalIgnoreCase).Count() == emails.Length, "emails", "An e-mail address is listed twice.");
        if (!errors.IsEmpty)
        {
            return ChannelsResult<PlaceChannels>.Invalid(errors);
        }

        var emailEvents = change.EmailEvents is { } events ? Distinct(events) : [.. Enum.GetValues<AlertKind>()];
        return new ChannelsResult<PlaceChannels>(new PlaceChannels(robots.ToImmutable(), webhooks.ToImmutable(), [.. emails.Select(e => e.Trim())], emailEvents), []);
    }

    /// <summary>A person's channels as they are to be, or what is wrong: a phone is stored as digits, as a beneficiary's is.</summary>
    public static ChannelsResult<PersonChannels> Apply(PersonChannels change)
    {
        var email = string.IsNullOrWhiteSpace(change.Email) ? null : change.Email.Trim();
        var phone = string.IsNullOrWhiteSpace(change.Phone) ? null : ApplicationRules.NormalizePhone(change.Phone);
        var errors = new ValidationErrors()
            .Require(email is null || IsEmail(email), "email", "'email' must be an e-mail address.")
            .Require(phone is null || ApplicationRules.IsValidPhone(phone), "phone", "'phone' must be a phone number: 5 to 20 digits, optionally starting with '+'.");
        return errors.IsEmpty
            ? new ChannelsResult<PersonChannels>(new PersonChannels(email, phone, Distinct(change.Kinds.IsDefault ? [] : change.Kinds)), [])
            : ChannelsResult<PersonChannels>.Invalid(errors);
    }

    /// <summary>An absolute https URL (http only to this machine, for a relay beside it), without credentials in it.</summary>
    public static bool IsChannelUrl(string? url) =>
        url is { Length: > 0 and <= MaxUrlLength }
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && string.IsNullOrEmpty(uri.UserInfo)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    /// <summary>A Standard Webhooks secret: <c>whsec_</c> and base64 of 24 to 64 bytes.</summary>
    public static byte[]? WebhookKeyOf(string? secret)
    {
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length > MaxSecretLength)
        {
            return null;
        }

        var key = new byte[MaxSecretLength];
        return Convert.TryFromBase64String(secret[SecretPrefix.Length..], key, out var length) && length is >= 24 and <= 64
            ? key[..length]
            : null;
    }

    public static bool IsEmail(string? address) =>
        address is { Length: > 0 and <= MaxEmailLength }
        && System.Net.Mail.MailAddress.TryCreate(address.Trim(), out var parsed)
        && string.Equals(parsed.Address, address.Trim(), StringComparison.Ordinal)
        && string.IsNullOrEmpty(parsed.DisplayName);

    /// <summary>The URL as the API shows it: query values and the path's last segment hidden, since robot and webhook URLs often carry their token there.</summary>
    public static string Masked(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "…";
        }

        var query = uri.Query.Length > 1
            ? "?" + string.Join('&', uri.Query[1..].Split('&').Select(p => p.Split('=')[0] + "=…"))
            : "";
        return $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}{query}";
    }

    private static RobotChannel? Robot(RobotChannelChange change, PlaceChannels current, string field, ValidationErrors errors, Func<string> newId)
    {
        var existing = Existing(change.Id, current.Robots, r => r.Id, $"{field}.id", "robot", errors, out var known);
        if (!known)
        {
            return null;
        }

        var kind = change.Kind ?? existing?.Kind;
        var url = change.Url ?? existing?.Url;
        var secret = change.Secret is null ? existing?.Secret : change.Secret.Length == 0 ? null : change.Secret.Trim();
        errors.Require(kind is not null, $"{field}.kind", "'kind' is required: wecom, dingtalk or feishu.");
        errors.Require(IsChannelUrl(url), $"{field}.url", url is null ? "'url' is required." : "'url' must be an https URL.");
        errors.Require(secret is null || kind != RobotKind.Wecom, $"{field}.secret", "A WeCom robot has no secret.");
        errors.Require(secret is null || secret.Length <= MaxSecretLength, $"{field}.secret", $"'secret' must be at most {MaxSecretLength} characters.");
        if (kind is null || !IsChannelUrl(url))
        {
            return null;
        }

        // A new URL is a new robot: whatever disabled the old one no longer holds.
        var disabled = existing is not null && existing.Url == url ? existing.DisabledReason : null;
        return new RobotChannel(existing?.Id ?? newId(), kind.Value, url!, secret, EventsOf(change.Events, existing?.Events), disabled);
    }

    private static WebhookChannel? Webhook(WebhookChannelChange change, PlaceChannels current, string field, ValidationErrors errors, Func<string> newId)
    {
        var existing = Existing(change.Id, current.Webhooks, w => w.Id, $"{field}.id", "webhook", errors, out var known);
        if (!known)
        {
            return null;
        }

        var url = change.Url ?? existing?.Url;
        var secrets = change.Secrets is { } given ? [.. given.Select(s => s?.Trim() ?? "")] : existing?.Secrets ?? [];
        errors.Require(IsChannelUrl(url), $"{field}.url", url is null ? "'url' is required." : "'url' must be an https URL.");
        errors.Require(secrets.Length is >= 1 and <= MaxSecrets, $"{field}.secrets", $"A webhook has 1 to {MaxSecrets} secrets (several while one is rotated).");
        for (var s = 0; s < secrets.Length; s++)
        {
            errors.Require(WebhookKeyOf(secrets[s]) is not null, $"{field}.secrets[{s}]", "A secret is 'whsec_' and base64 of 24 to 64 bytes.");
        }

        if (!IsChannelUrl(url) || secrets.Length is < 1 or > MaxSecrets || secrets.Any(s => WebhookKeyOf(s) is null))
        {
            return null;
        }

        var disabled = existing is not null && existing.Url == url ? existing.DisabledReason : null;
        return new WebhookChannel(existing?.Id ?? newId(), url!, secrets, EventsOf(change.Events, existing?.Events), disabled);
    }

    private static T? Existing<T>(string? id, ImmutableArray<T> current, Func<T, string> idOf, string field, string what, ValidationErrors errors, out bool known)
        where T : class
    {
        known = true;
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var found = current.FirstOrDefault(c => idOf(c) == id);
        known = found is not null;
        errors.Require(known, field, $"There is no {what} '{id}' at this place.");
        return found;
    }

    private static void DuplicateIds(IEnumerable<string?> ids, string field, ValidationErrors errors)
    {
        var named = ids.OfType<string>().Where(i => i.Length > 0).ToList();
        errors.Require(named.Distinct(StringComparer.Ordinal).Count() == named.Count, field, "The same id is listed twice.");
    }

    private static ImmutableArray<AlertKind> EventsOf(ImmutableArray<AlertKind>? given, ImmutableArray<AlertKind>? existing) =>
        given is { } events ? Distinct(events) : existing ?? [.. Enum.GetValues<AlertKind>()];

    private static ImmutableArray<T> Distinct<T>(ImmutableArray<T> values) => [.. values.Distinct()];
}

/// <summary>One input field at fault and what is wrong with it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.FieldError")]
public sealed record FieldError(string Field, string Message);

/// <summary>Settings as stored, or every field at fault (nothing changed).</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ChannelsResult`1")]
public sealed record ChannelsResult<T>(T? Value, ImmutableArray<FieldError> Errors)
    where T : class
{
    public static ChannelsResult<T> Invalid(ValidationErrors errors) =>
        new(null, [.. errors.ToDictionary().SelectMany(e => e.Value.Select(m => new FieldError(e.Key, m)))]);

    public ValidationErrors ToValidationErrors()
    {
        var errors = new ValidationErrors();
        foreach (var error in Errors)
        {
            errors.Add(error.Field, error.Message);
        }

        return errors;
    }
}
