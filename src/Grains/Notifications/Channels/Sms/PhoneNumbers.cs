using System.Text.RegularExpressions;

namespace Dispatch.Notifications.Channels.Sms;

/// <summary>Mainland mobile numbers: read from what people type, and masked wherever they are shown.</summary>
public static partial class PhoneNumbers
{
    /// <summary>The 11 digits of a mainland mobile number (spaces, dashes and a +86/0086 prefix allowed), or null.</summary>
    public static string? Normalise(string input)
    {
        var digits = Separators().Replace(input.Trim(), "");
        if (digits.StartsWith("+86", StringComparison.Ordinal)) digits = digits[3..];
        else if (digits.StartsWith("0086", StringComparison.Ordinal)) digits = digits[4..];
        else if (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal)) digits = digits[2..];
        return Mobile().IsMatch(digits) ? digits : null;
    }

    /// <summary>The first three and last four digits, the rest starred: 138****5678.</summary>
    public static string Mask(string phoneNumber)
    {
        var digits = Separators().Replace(phoneNumber, "");
        return digits.Length >= 8 ? $"{digits[..3]}****{digits[^4..]}" : "****";
    }

    [GeneratedRegex(@"[\s\-()]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex Mobile();
}
