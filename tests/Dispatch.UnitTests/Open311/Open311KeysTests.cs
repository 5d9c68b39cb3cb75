using Dispatch.Open311;

namespace Dispatch.UnitTests.Open311;

/// <summary>API keys: drawn fresh each time, named by their id, stored only as a hash compared in constant time.</summary>
public sealed class Open311KeysTests
{
    [Fact]
    public void An_issued_key_names_its_id_and_carries_a_long_secret()
    {
        var (id, key) = Open311Keys.Issue();

        Assert.True(Open311Keys.TryParseId(key, out var parsed));
        Assert.Equal(id, parsed);
        Assert.StartsWith($"{id:N}.", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 32 + 1 + 43, $"'{key}' is too short for 32 random bytes.");
    }

    [Fact]
    public void Keys_are_never_drawn_twice()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => Open311Keys.Issue().Key).ToList();

        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_hash_is_the_sha256_of_the_key_and_matches_only_that_key()
    {
        var (_, key) = Open311Keys.Issue();
        var hash = Open311Keys.Hash(key);

        Assert.Equal(64, hash.Length);
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Open311Keys.Hash("hello"));
        Assert.True(Open311Keys.HashesEqual(hash, Open311Keys.Hash(key)));
        Assert.False(Open311Keys.HashesEqual(hash, Open311Keys.Hash(key + "x")));
        Assert.False(Open311Keys.HashesEqual("", Open311Keys.Hash(key)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-key")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdeX.secret")]
    [InlineData("0123456789abcdef0123456789abcdef-secret")]
    public void Anything_not_shaped_like_a_key_names_no_id(string? key)
    {
        Assert.False(Open311Keys.TryParseId(key, out _));
    }
}
