using System.Text;

namespace OrleansChat.WebFront.Tests;

/// <summary>What a corpus value must get: malformed text → 400, a NUL bound for storage → 422, anything else no 5xx.</summary>
public enum Expect
{
    Any,
    Malformed,
    Nul,
}

/// <summary>One hostile JSON value, as raw bytes (so it can carry invalid UTF-8 and escapes the serializer would never write).</summary>
public sealed record HostileValue(string Name, byte[] Json, Expect Expect)
{
    public override string ToString() => Name;
}

/// <summary>
/// The targeted corpus of issue 14: NUL, lone surrogates, invalid UTF-8, deep nesting, huge numbers, wrong types,
/// empty and enormous arrays. Every value is tried in every field of every endpoint, hub method and frame type.
/// </summary>
public static class HostileCorpus
{
    public static readonly HostileValue[] Values =
    [
        // Malformed text: not well-formed JSON by spec §3.
        Raw("utf8 overlong c0 af", "\"a", [0xC0, 0xAF], "\"", Expect.Malformed),
        Raw("utf8 surrogate ed a0 80", "\"", [0xED, 0xA0, 0x80], "\"", Expect.Malformed),
        Raw("utf8 ff", "\"", [0xFF], "x\"", Expect.Malformed),
        Raw("utf8 truncated e2 82", "\"x", [0xE2, 0x82], "\"", Expect.Malformed),
        Text("escaped lone high surrogate", "\"\\ud800\"", Expect.Malformed),
        Text("escaped lone low surrogate", "\"\\udc00\"", Expect.Malformed),
        Text("escaped surrogate then letter", "\"a\\ud800\\u0041b\"", Expect.Malformed),
        Text("reversed surrogate pair", "\"\\udc00\\ud800\"", Expect.Malformed),
        Text("lone surrogate nested", "{\"k\":{\"d\":[\"\\ud800\"]}}", Expect.Malformed),
        Text("lone surrogate member name", "{\"\\udbff\":1}", Expect.Malformed),
        Raw("invalid utf8 member name", "{\"", [0xC0, 0xAF], "\":1}", Expect.Malformed),
        Raw("invalid utf8 nested", "{\"k\":[\"", [0xED, 0xBF, 0xBF], "\"]}", Expect.Malformed),
        Text("deep nesting 70", new string('[', 70) + new string(']', 70), Expect.Malformed),
        Text("deep object nesting 100", string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100), Expect.Malformed),

        // NUL bound for storage.
        Text("nul", "\"\\u0000\"", Expect.Nul),
        Text("nul inside", "\"ab\\u0000cd\"", Expect.Nul),
        Text("nul object value", "{\"a\":\"x\\u0000y\"}", Expect.Nul),
        Text("nul object key", "{\"\\u0000\":\"v\"}", Expect.Nul),
        Text("nul deep", "{\"a\":{\"b\":[1,{\"c\":\"\\u0000\"}]}}", Expect.Nul),

        // Everything else: wrong types, huge numbers, odd but valid text.
        Text("huge exponent", "1e400", Expect.Any),
        Text("negative huge exponent", "-1e400", Expect.Any),
        Text("30 digit integer", "123456789012345678901234567890", Expect.Any),
        Text("2^53", "9007199254740992", Expect.Any),
        Text("fraction", "1.5", Expect.Any),
        Text("negative", "-1", Expect.Any),
        Text("zero", "0", Expect.Any),
        Text("true", "true", Expect.Any),
        Text("null", "null", Expect.Any),
        Text("empty string", "\"\"", Expect.Any),
        Text("spaces", "\"   \"", Expect.Any),
        Text("empty object", "{}", Expect.Any),
        Text("empty array", "[]", Expect.Any),
        Text("nested empty arrays", "[[[]]]", Expect.Any),
        Text("array of strings", "[\"a\",\"b\"]", Expect.Any),
        Text("array of ids", "[1,2,3]", Expect.Any),
        Text("enormous array", "[" + string.Join(',', Enumerable.Repeat("1", 20_000)) + "]", Expect.Any),
        Text("long string", "\"" + new string('x', 20_000) + "\"", Expect.Any),
        Text("emoji and rtl", "\"\\ud83d\\ude00 \\u202e \\uffff\"", Expect.Any),
        Text("valid pair raw", "\"\U0001F600\"", Expect.Any),
        Text("control char", "\"a\\u0007b\"", Expect.Any),
        Text("html", "\"<script>alert(1)</script>\"", Expect.Any),
        Text("operator object", "{\"$gt\":1}", Expect.Any),
        Text("nested depth 30", string.Concat(Enumerable.Repeat("{\"a\":", 30)) + "1" + new string('}', 30), Expect.Any),
    ];

    public static bool IsInvalidUtf8(byte[] bytes) => !System.Text.Unicode.Utf8.IsValid(bytes);

    /// <summary>Whole bodies that are wrong as a whole rather than in one field.</summary>
    public static IEnumerable<HostileValue> Bodies(string baseBody)
    {
        yield return new("BOM then body", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(baseBody)], Expect.Any);
        yield return Text("duplicate keys", baseBody.TrimEnd('}') + (baseBody == "{}" ? "" : ",") + "\"x\":1,\"x\":2}", Expect.Any);
        yield return Text("empty body", "", Expect.Any);
        yield return Text("array root", "[]", Expect.Any);
        yield return Text("string root", "\"s\"", Expect.Any);
        yield return Text("trailing garbage", baseBody + "}", Expect.Any);
        yield return Text("deep nesting 1000", new string('[', 1000) + new string(']', 1000), Expect.Malformed);
        yield return Raw("invalid utf8 outside strings", "{", [0xC0, 0xAF], "}", Expect.Malformed);
        yield return Raw("invalid utf8 extra member", baseBody.TrimEnd('}') + (baseBody == "{}" ? "" : ",") + "\"zz\":\"", [0xED, 0xA0, 0x80], "\"}", Expect.Malformed);
        yield return Text("lone surrogate extra member", baseBody.TrimEnd('}') + (baseBody == "{}" ? "" : ",") + "\"\\ud800\":1}", Expect.Malformed);
    }

    /// <summary>An object body whose fields are <paramref name="fields"/> with <paramref name="field"/> set to <paramref name="value"/>.</summary>
    public static byte[] With(IReadOnlyList<(string Name, string Json)> fields, string field, byte[] value)
    {
        var body = new List<byte>();
        body.Add((byte)'{');
        var first = true;
        foreach (var (name, json) in fields.Where(f => f.Name != field))
        {
            body.AddRange(Encoding.UTF8.GetBytes($"{(first ? "" : ",")}\"{name}\":{json}"));
            first = false;
        }
        body.AddRange(Encoding.UTF8.GetBytes($"{(first ? "" : ",")}\"{field}\":"));
        body.AddRange(value);
        body.Add((byte)'}');
        return [.. body];
    }

    public static string Body(IReadOnlyList<(string Name, string Json)> fields) =>
        "{" + string.Join(',', fields.Select(f => $"\"{f.Name}\":{f.Json}")) + "}";

    private static HostileValue Text(string name, string json, Expect expect) => new(name, Encoding.UTF8.GetBytes(json), expect);

    private static HostileValue Raw(string name, string before, byte[] raw, string after, Expect expect) =>
        new(name, [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)], expect);
}
