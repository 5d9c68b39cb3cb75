using System.Globalization;
using Dispatch.Common;

namespace Dispatch.UnitTests.Validation;

/// <summary>
/// The ADO.NET grain storage keeps a string key that parses as a Guid or a hexadecimal integer in
/// its numeric columns; the prefixes must make that impossible for every id.
/// </summary>
public sealed class GrainKeysTests
{
    public static TheoryData<string> AwkwardIds =>
    [
        "123",
        "0123",
        "cafe",
        "CAFE",
        "0x1F",
        "ffffffffffffffff",
        "7fffffffffffffff",
        "-1",
        "d3b07384-d9a0-4f5b-8c8e-2a1e4f7a9c11",
        "d3b07384d9a04f5b8c8e2a1e4f7a9c11",
        "{d3b07384-d9a0-4f5b-8c8e-2a1e4f7a9c11}",
        "d3b07384-d9a0-4f5b-8c8e-2a1e4f7a9c11+ext",
        "cafe+ext",
        "",
    ];

    public static TheoryData<string, string> Prefixes => new()
    {
        { "place", GrainKeys.PlacePrefix },
        { "account", GrainKeys.AccountPrefix },
        { "volunteer", GrainKeys.VolunteerPrefix },
        { "community", GrainKeys.CommunityPrefix },
        { "idempotency", GrainKeys.IdempotencyPrefix },
    };

    [Theory]
    [MemberData(nameof(AwkwardIds))]
    public void No_key_parses_as_a_guid_or_a_number(string id)
    {
        foreach (var key in AllKeysFor(id))
        {
            // Orleans reads a key extension after '+': the part before it must not parse either.
            var keyPart = key.Split('+')[0];
            foreach (var candidate in new[] { key, keyPart })
            {
                Assert.False(Guid.TryParse(candidate, out _), $"'{candidate}' parses as a Guid");
                Assert.False(long.TryParse(candidate, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _), $"'{candidate}' parses as hex");
                Assert.False(ulong.TryParse(candidate, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _), $"'{candidate}' parses as hex");
                Assert.False(long.TryParse(candidate, NumberStyles.Integer, CultureInfo.InvariantCulture, out _), $"'{candidate}' parses as an integer");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AwkwardIds))]
    public void The_bare_ids_really_are_awkward_or_empty(string id)
    {
        // Guards the test data above: without a prefix most of these would alias another key.
        var awkward = id.Length == 0
            || Guid.TryParse(id.Split('+')[0], out _)
            || long.TryParse(id.Split('+')[0].Replace("0x", "", StringComparison.Ordinal), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _)
            || long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);

        Assert.True(awkward);
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public void Every_prefix_ends_with_a_colon(string name, string prefix)
    {
        Assert.EndsWith(":", prefix, StringComparison.Ordinal);
        Assert.StartsWith(name[..4], prefix, StringComparison.Ordinal);
    }

    [Fact]
    public void Prefixes_are_distinct_so_the_same_id_gives_a_different_key_per_grain()
    {
        var keys = AllKeysFor("hongqi");

        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(
            ["place:hongqi", "account:hongqi", "volunteer:hongqi", "community:hongqi", "idem:hongqi"],
            keys);
    }

    [Theory]
    [MemberData(nameof(AwkwardIds))]
    public void IdOf_returns_the_id_the_key_was_made_from(string id)
    {
        Assert.Equal(id, GrainKeys.IdOf(GrainKeys.Place(id), GrainKeys.PlacePrefix));
        Assert.Equal(id, GrainKeys.IdOf(GrainKeys.Account(id), GrainKeys.AccountPrefix));
        Assert.Equal(id, GrainKeys.IdOf(GrainKeys.Volunteer(id), GrainKeys.VolunteerPrefix));
        Assert.Equal(id, GrainKeys.IdOf(GrainKeys.Community(id), GrainKeys.CommunityPrefix));
        Assert.Equal(id, GrainKeys.IdOf(GrainKeys.Idempotency(id), GrainKeys.IdempotencyPrefix));
    }

    [Fact]
    public void IdOf_a_key_with_another_prefix_throws()
    {
        var error = Assert.Throws<ArgumentException>(() => GrainKeys.IdOf(GrainKeys.Place("hongqi"), GrainKeys.CommunityPrefix));

        Assert.Equal("grainKey", error.ParamName);
    }

    private static string[] AllKeysFor(string id) =>
    [
        GrainKeys.Place(id),
        GrainKeys.Account(id),
        GrainKeys.Volunteer(id),
        GrainKeys.Community(id),
        GrainKeys.Idempotency(id),
    ];
}
