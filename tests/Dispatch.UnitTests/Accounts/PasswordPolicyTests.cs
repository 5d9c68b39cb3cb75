using Dispatch.Accounts;

namespace Dispatch.UnitTests.Accounts;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("password-1", "vol-m1-1")]
    [InlineData("correct horse battery", "alice")]
    [InlineData("长城长城长城长城", "li")]
    [InlineData("admin-password-for-tests", "admin")]
    public void Reasonable_passwords_pass(string password, string username) =>
        Assert.Null(PasswordPolicy.Check(password, username));

    [Theory]
    [InlineData(null, "too short")]
    [InlineData("short", "8 to 128")]
    [InlineData("aaaaaaaaaa", "repeated")]
    [InlineData("Password", "commonly guessed")]
    [InlineData("12345678", "commonly guessed")]
    [InlineData("volunteer-7", "username")]
    public void Weak_passwords_are_refused_with_the_reason(string? password, string reason)
    {
        var refusal = PasswordPolicy.Check(password, "volunteer-7");
        Assert.NotNull(refusal);
        if (reason != "too short")
        {
            Assert.Contains(reason, refusal, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Overlong_passwords_are_refused() =>
        Assert.NotNull(PasswordPolicy.Check(new string('x', 64) + new string('y', 65), "a1"));
}
