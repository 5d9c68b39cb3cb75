namespace Dispatch.Accounts;

/// <summary>
/// The minimum every password meets: 8 to 128 characters, not the username, not one repeated
/// character, and not one of the passwords that guessing lists try first.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "password1", "password123", "passw0rd", "12345678", "123456789", "1234567890",
        "87654321", "11111111", "00000000", "qwertyui", "qwerty123", "qwertyuiop", "1q2w3e4r",
        "1qaz2wsx", "abc12345", "abcd1234", "iloveyou", "sunshine", "princess", "football",
        "baseball", "welcome1", "admin123", "administrator", "letmein1", "trustno1", "changeme",
        "dispatch", "dispatch1", "volunteer", "volunteer1", "a1b2c3d4", "woaini1314", "5201314520",
        "88888888", "66666666", "12341234", "11223344", "asdfghjk", "zxcvbnm1",
    };

    /// <summary>Null when <paramref name="password"/> is acceptable for <paramref name="username"/>, otherwise why not.</summary>
    public static string? Check(string? password, string? username)
    {
        if (password is null || password.Length is < MinLength or > MaxLength)
        {
            return $"The password must be {MinLength} to {MaxLength} characters.";
        }

        if (password.Distinct().Count() == 1)
        {
            return "The password must not be one character repeated.";
        }

        if (string.Equals(password, username, StringComparison.OrdinalIgnoreCase))
        {
            return "The password must not be the username.";
        }

        return Common.Contains(password) ? "The password is one of the most commonly guessed: choose another." : null;
    }

    /// <summary>Letters and digits that are hard to confuse when read aloud or copied by hand.</summary>
    private const string OneTimeAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    /// <summary>
    /// A new one-time password: <paramref name="groups"/> groups of five from an alphabet of 31
    /// letters and digits hard to confuse (about 25 bits a group), joined by <c>-</c>.
    /// </summary>
    public static string NewOneTimePassword(int groups) =>
        string.Join('-', Enumerable.Range(0, groups).Select(_ => System.Security.Cryptography.RandomNumberGenerator.GetString(OneTimeAlphabet, 5)));
}
