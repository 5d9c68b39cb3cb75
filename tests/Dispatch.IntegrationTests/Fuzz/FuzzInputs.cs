using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Dispatch.IntegrationTests.Fuzz;

/// <summary>One generated HTTP call. Its text is what FsCheck prints for a failing case.</summary>
public sealed record FuzzCall(
    string Method,
    string PathAndQuery,
    FuzzRole Role,
    int AuthVariant,
    byte[]? Body,
    string? ContentType,
    string? IdempotencyKey,
    string? Accept)
{
    public override string ToString()
    {
        var body = Body is null ? "none" : Encoding.UTF8.GetString(Body);
        return $"{Method} {Cut(PathAndQuery, 300)} as {Role}/{AuthVariant}; content-type: {ContentType ?? "none"}; "
            + $"Idempotency-Key: {Cut(IdempotencyKey ?? "none", 40)}; Accept: {Accept ?? "none"}; body ({Body?.Length ?? 0} bytes): {Cut(body, 400)}";
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : $"{text[..length]}…";
}

/// <summary>
/// Generators of calls: route parameters from the seeded world's ids or garbage; bodies of the
/// route's own shape (from its OpenAPI schema) with wrong values, wrong types, nulls, missing and
/// extra members, or no JSON at all; content types, Idempotency-Keys, Accept and Authorization
/// headers; the caller's role.
/// </summary>
public sealed class FuzzInputs(FuzzFixture world)
{
    private static readonly string[] GarbageText =
    [
        "", " ", "..", "../..", "%2e%2e", "%00", "null", "undefined", "-1", "0", "1e309", "NaN", "true", "[]", "{}",
        new string('a', 5000), "社区志愿者", "🙂🙂", "\u202Eevil", "a/b", "a%2Fb", "?x=1", "#frag", "'; DROP TABLE x;--",
        "<script>alert(1)</script>", "%", "%zz", "\t\n", "CON", "m1 ", " M1", "M1", "VOL-M1-1", "*", "00000000-0000-0000-0000-000000000000",
    ];

    private static readonly string[] Texts =
    [
        "x", "A thermos cup", "", "   ", new string('x', 101), new string('x', 201), new string('x', 501), new string('x', 2001),
        new string('x', 4001), new string('y', 100_001), "社区志愿者服务", "🙂", "line 1\nline 2", "\0", "null",
    ];

    private static readonly string[] Integers =
    [
        "0", "1", "-1", "2", "3", "5", "10", "50", "100", "101", "500", "1000", "1001", "10000", "10001", "100000", "100001",
        "-100000", "-100001", "2147483647", "2147483648", "-2147483649", "\"2\"", "\"abc\"", "1.5", "1e400", "-0", "0.0",
        "99999999999999999999999999",
    ];

    private static readonly string[] Numbers = ["0", "48.0", "124.0", "90", "90.0001", "-180", "181", "1e308", "\"NaN\"", "\"48\"", "-0.0", "1e-320"];

    private static readonly string[] Booleans = ["true", "false", "\"true\"", "1", "null"];

    private static readonly string[] TimeSpans =
    [
        "00:10:00", "1.00:00:00", "00:00:00", "00:00:01", "365.00:00:00", "366.00:00:00", "-00:10:00", "99:99:99",
        "10675199.02:48:05.4775807", "00:00:00.0000001", "1:2:3", "P1D",
    ];

    private static readonly string[] WrongTypes =
    [
        "null", "0", "-1", "\"\"", "[]", "{}", "true", "\"x\"", "[null]", "{\"a\":{}}", new string('[', 100) + new string(']', 100),
        "1" + new string('0', 400), "\"\\uD800\"", "[1,\"a\",{},[]]",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz",
        "application/problem+json", "application/json; charset=utf-16", "garbage/", "application/xml", ";;;", "application/json; charset=nonsense",
    ];

    private static readonly string[] QueryValues =
    [
        "-1", "0", "1", "2", "20", "100", "101", "500", "501", "abc", "2147483648", "open", "closed", "inProgress", "INPROGRESS", "pending",
        "wish", "m1", "t1", "r1", "nowhere", "goods", "2026-11-29", "2026-11-29T01:00:00Z", "garbage", "2026-13-45T99:99:99", "1900-01-01",
        "9999-12-31T23:59:59Z", "wish,errand", string.Join(",", Enumerable.Range(0, 1200).Select(i => i.ToString(CultureInfo.InvariantCulture))),
        new string('q', 3000), "%00", "",
    ];

    private static byte[][] RawBodies { get; } =
    [
        [],
        "null"u8.ToArray(),
        "{"u8.ToArray(),
        "}"u8.ToArray(),
        "not json"u8.ToArray(),
        "{\"a\":"u8.ToArray(),
        [0xC3, 0x28, 0xFF, 0xFE, 0xFD],
        [.. "{\"title\":\""u8, 0xC3, 0x28, .. "\"}"u8],
        [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("{}")],
        [0xEF, 0xBB, 0xBF, .. "{}"u8],
        Encoding.UTF8.GetBytes(new string('[', 5000)),
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000)),
        Encoding.UTF8.GetBytes("\"" + new string('x', 2_000_000) + "\""),
        [0, 0, 0],
        "{\"a\":1,\"a\":2}"u8.ToArray(),
        "[1,2,3]"u8.ToArray(),
        "\"string\""u8.ToArray(),
        "123"u8.ToArray(),
        "1e400"u8.ToArray(),
        "{}"u8.ToArray(),
        "a=b&c=d"u8.ToArray(),
    ];

    private static readonly string[] Open311Fields =
    [
        "api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "address_id", "description",
        "first_name", "last_name", "email", "phone", "media_url", "attribute[urgency]", "attribute[places]", "device_id", "account_id",
    ];

    public Gen<FuzzCall> For(FuzzRoute route) =>
        from method in Gen.Frequency((9, Gen.Elements(route.Methods.ToArray())), (1, Gen.Elements("GET", "POST", "PUT", "DELETE", "PATCH")))
        from path in PathFor(route)
        from query in QueryFor(route)
        from body in BodyFor(route)
        from contentType in ContentTypeFor(route, body)
        from role in Gen.Elements(Enum.GetValues<FuzzRole>())
        from authVariant in Gen.Choose(0, 5)
        from key in IdempotencyKey()
        from accept in Gen.Frequency((8, Gen.Constant<string?>(null)), (1, Gen.Elements<string?>("application/json", "text/html", "application/xml", "*/*")))
        select new FuzzCall(method, path + query, role, authVariant, body, contentType, key, accept);

    private Gen<string> PathFor(FuzzRoute route) =>
        Gen.CollectToArray(route.Segments, segment => segment.Parameter is { } name
                ? ParameterValue(route, name)
                : Gen.Constant(segment.Literal!))
            .Select(string.Concat);

    private Gen<string> ParameterValue(FuzzRoute route, string name) => Gen.Frequency(
        (6, Gen.Elements(ValidFor(route, name))),
        (2, Gen.Choose(0, int.MaxValue).Select(n => new Guid(n, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8).ToString())),
        (3, Gen.Elements(GarbageText).Select(Uri.EscapeDataString)),
        (1, Gen.Elements("..", "%2e%2e", "a/b", "%zz", "a%2Fb", "%F0%9F", "x y", "社区", " ", ";", "%2F..%2F")));

    private string[] ValidFor(FuzzRoute route, string name)
    {
        var requests = world.Requests.Values.Select(id => id.ToString()).ToArray();
        return name switch
        {
            "orderId" => [world.Order.ToString()],
            "username" => FuzzFixture.Usernames,
            "kind" => ["wish", "errand", "case", "activity", "WISH"],
            "urgency" => ["normal", "urgent", "critical"],
            "format" => ["json", "xml", "JSON"],
            "code" => ["wish", "errand", "case", "activity"],
            "documentName" => ["v1"],
            "page" => ["1", "0", "99999999999"],
            "id" when route.Pattern.StartsWith("/api/requests", StringComparison.Ordinal) => requests,
            "id" when route.Pattern.StartsWith("/open311/v2/request", StringComparison.Ordinal) => requests,
            "id" when route.Pattern.StartsWith("/api/shop/items", StringComparison.Ordinal) => [world.ShopItem.ToString()],
            "id" when route.Pattern.StartsWith("/api/organisations", StringComparison.Ordinal) => [FuzzFixture.Organisation],
            "id" when route.Pattern.StartsWith("/api/open311/keys", StringComparison.Ordinal) => [world.Open311Key.ToString()],
            "id" => FuzzFixture.Places,
            _ => [.. FuzzFixture.Places, .. FuzzFixture.Usernames, .. requests],
        };
    }

    private static Gen<string> QueryFor(FuzzRoute route)
    {
        var names = route.QueryParameters.Concat(["unknown"]).ToArray();
        var pair = from name in Gen.Elements(names)
                   from value in Gen.Elements(QueryValues)
                   select $"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}";
        return Gen.Frequency(
            (3, Gen.Constant("")),
            (5, Gen.ListOf(pair).Select(pairs => pairs.Count == 0 ? "" : "?" + string.Join("&", pairs))),
            (1, Gen.Elements("?", "?&&", "?=x", "?top", "?%zz=1", "?limit=1&limit=2")));
    }

    private Gen<byte[]?> BodyFor(FuzzRoute route)
    {
        var raw = Gen.Elements(RawBodies).Select(b => (byte[]?)b);
        var none = Gen.Constant<byte[]?>(null);
        if (route.BodySchema is { } schema)
        {
            return Gen.Frequency(
                (8, Json(schema, "body", 0).Select(j => (byte[]?)Encoding.UTF8.GetBytes(j))),
                (3, raw),
                (1, none));
        }

        if (route.IsGeoReport && route.Methods.Contains("POST"))
        {
            return Gen.Frequency((6, Open311Form()), (2, raw), (1, none));
        }

        return Gen.Frequency((4, none), (2, raw), (1, Gen.Constant<byte[]?>("{}"u8.ToArray())));
    }

    private Gen<byte[]?> Open311Form()
    {
        var values = new[]
        {
            world.Open311ApiKey, "nope", "m1", "t1", "r1", "nowhere", "wish", "activity", "48.0", "124.0", "91", "abc", "",
            "A thermos cup", new string('d', 4001), "li.na@example.org", "138-0000-0000", "http://example.org/a.png", "javascript:alert(1)",
            "urgent", "6", "0", "1001", "社区", "%00",
        };
        var field = from name in Gen.Elements(Open311Fields)
                    from value in Gen.Elements(values)
                    select $"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}";
        var likely = Gen.Constant($"api_key={Uri.EscapeDataString(world.Open311ApiKey)}&jurisdiction_id=m1&service_code=wish");
        return from start in Gen.Frequency((2, likely), (1, Gen.Constant("")))
               from more in Gen.ListOf(field)
               select (byte[]?)Encoding.UTF8.GetBytes(string.Join("&", new[] { start }.Concat(more).Where(p => p.Length > 0)));
    }

    private static Gen<string?> ContentTypeFor(FuzzRoute route, byte[]? body)
    {
        var usual = route.IsGeoReport ? "application/x-www-form-urlencoded" : "application/json";
        return body is null
            ? Gen.Frequency((6, Gen.Constant<string?>(null)), (1, Gen.Elements<string?>(usual, "text/plain")))
            : Gen.Frequency((7, Gen.Constant<string?>(usual)), (1, Gen.Constant<string?>(null)), (3, Gen.Elements<string?>(ContentTypes)));
    }

    private static Gen<string?> IdempotencyKey() => Gen.Frequency(
        (10, Gen.Constant<string?>(null)),
        (3, Gen.Choose(0, int.MaxValue).Select(n => (string?)$"fz-{n}")),
        (1, Gen.Elements<string?>("", new string('k', 201), new string('k', 200), "fixed-key", " ", "key with spaces")));

    /// <summary>JSON text for <paramref name="schema"/>: mostly of its shape, with values at and past the limits.</summary>
    private Gen<string> Json(JsonObject schema, string name, int depth)
    {
        var wrong = Gen.Elements(WrongTypes);
        if (depth > 6)
        {
            return wrong;
        }

        if (schema["oneOf"] is JsonArray alternatives)
        {
            var shapes = alternatives.OfType<JsonObject>().Where(a => !IsNullOnly(a)).ToArray();
            return shapes.Length == 0
                ? Gen.Constant("null")
                : Gen.Frequency((9, Gen.Elements(shapes).SelectMany(s => Json(s, name, depth))), (1, Gen.Constant("null")));
        }

        var right = RightType(schema, name, depth);
        return Gen.Frequency((8, right), (2, wrong));
    }

    private Gen<string> RightType(JsonObject schema, string name, int depth)
    {
        if (schema["enum"] is JsonArray values)
        {
            // A nullable enum lists null among its values (the first use of the enum decides its schema).
            var names = values.Select(v => v?.ToJsonString() ?? "null").ToArray();
            return Gen.Frequency(
                (6, Gen.Elements(names)),
                (1, Gen.Elements(names).Select(n => n.ToUpperInvariant())),
                (1, Gen.Elements("\"bogus\"", "0", "3", "\"\"", "\" wish\"")));
        }

        var types = schema["type"] switch
        {
            JsonArray many => many.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToArray(),
            JsonValue one => [one.GetValue<string>()],
            _ => schema["properties"] is not null ? ["object"] : ["string"],
        };
        if (types.Length == 0)
        {
            return Gen.Constant("null");
        }

        if (types.Contains("integer"))
        {
            return Gen.Elements(Integers);
        }

        return types[0] switch
        {
            "number" => Gen.Elements(Numbers),
            "boolean" => Gen.Elements(Booleans),
            "array" => ArrayOf(schema["items"] as JsonObject ?? [], name, depth),
            "object" => ObjectOf(schema, depth),
            _ => StringFor(schema, name).Select(s => JsonSerializer.Serialize(s)),
        };
    }

    private Gen<string> ArrayOf(JsonObject items, string name, int depth)
    {
        var item = Json(items, name, depth + 1);
        return Gen.Frequency(
            (6, Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(item, n))),
            (1, Gen.Elements(21, 51, 101).SelectMany(n => item.Select(one => Enumerable.Repeat(one, n).ToArray()))))
            .Select(elements => "[" + string.Join(",", elements) + "]");
    }

    private Gen<string> ObjectOf(JsonObject schema, int depth)
    {
        var properties = (schema["properties"] as JsonObject ?? []).ToArray();
        var members = Gen.CollectToArray(properties, p =>
            Gen.Frequency(
                (6, Json(p.Value!.AsObject(), p.Key, depth + 1).Select(v => (string?)$"{JsonSerializer.Serialize(p.Key)}:{v}")),
                (1, Gen.Constant<string?>(null))));
        var extra = Gen.Frequency(
            (8, Gen.Constant<string?>(null)),
            (1, Gen.Elements<string?>("\"unknown\":1", "\"$type\":\"x\"", "\"\":null", "\"__proto__\":{}")));
        return from present in members
               from more in extra
               select "{" + string.Join(",", present.Append(more).OfType<string>()) + "}";
    }

    private Gen<string> StringFor(JsonObject schema, string name)
    {
        var lower = name.ToLowerInvariant();
        string[] valid = schema["pattern"] is not null && lower.Contains("within", StringComparison.Ordinal) || lower == "escalateevery"
            ? TimeSpans
            : lower switch
            {
                "username" or "to" or "volunteer" => FuzzFixture.Usernames,
                "password" => ["password-1", "short", "", new string('p', 129)],
                "checkincode" => [.. world.CheckInCodes.Values, "000000", " 123456 "],
                "role" => ["volunteer", "staff", "admin"],
                "organisationid" => [FuzzFixture.Organisation, "nope"],
                "code" => ["wish", "goods", "bad code!"],
                _ when lower.EndsWith("id", StringComparison.Ordinal) || lower.EndsWith("ids", StringComparison.Ordinal) =>
                    [.. FuzzFixture.Places, "fz-new", "nowhere", "Bad Id!"],
                _ => [],
            };
        return valid.Length == 0
            ? Gen.Elements(Texts)
            : Gen.Frequency((3, Gen.Elements(valid)), (1, Gen.Elements(Texts)), (1, Gen.Elements(GarbageText)));
    }

    private static bool IsNullOnly(JsonObject schema) => schema["type"] is JsonValue t && t.GetValue<string>() == "null";
}
