using System.Text.Json;
using Replica.Proxy.Tcp.Json;

namespace Replica.Proxy.Tcp.Configuration;

/// <summary>
/// JSON read the way Toxiproxy's Go server reads it: any content type, only the first value (trailing bytes ignored),
/// keys matched case-insensitively with the last one winning, unknown keys ignored, null meaning "not given".
/// Errors are 400 "bad request body: …", and say where and what was expected. Strings must decode: Go would replace
/// bad UTF-8 and lone surrogates with U+FFFD silently; Replica refuses them, naming the field and the byte offset.
/// </summary>
internal static class LenientJson
{
    public static JsonElement Parse(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }
        var options = new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 64 };
        // A string that parses but does not decode would fail later, when read: refused here, naming where it is.
        if (JsonTextCheck.Find(body, options) is { } undecodable)
        {
            throw ToxiproxyException.BadRequestBody(
                $"invalid string{(undecodable.Field.Length > 0 ? $" in field {undecodable.Field}" : "")} at {undecodable}");
        }
        var reader = new Utf8JsonReader(body, options);
        try
        {
            if (!reader.Read())
            {
                throw ToxiproxyException.BadRequestBody("EOF");
            }
            return JsonElement.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw ToxiproxyException.BadRequestBody(Describe(e));
        }
    }

    /// <summary>"invalid JSON at line 3, column 7: …" from System.Text.Json's message, without its internal path.</summary>
    public static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }
        if (cut > 0)
        {
            message = message[..cut];
        }
        return e.LineNumber is { } line
            ? $"invalid JSON at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {message}"
            : $"invalid JSON: {message}";
    }

    /// <summary>The value of <paramref name="name"/> in any case, the last one if repeated; null when absent or null.</summary>
    public static JsonElement? Property(JsonElement element, string name)
    {
        JsonElement? found = null;
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                found = property.Value;
            }
        }
        return found is { ValueKind: JsonValueKind.Null } ? null : found;
    }

    public static void RequireKind(JsonElement element, JsonValueKind kind, string what)
    {
        if (element.ValueKind != kind)
        {
            throw Mismatch(element, what, kind == JsonValueKind.Array ? "array" : "object");
        }
    }

    public static string? String(JsonElement element, string name) => Property(element, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { } value => throw Mismatch(value, $"field {name}", "string"),
    };

    public static bool? Boolean(JsonElement element, string name) => Property(element, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } value => throw Mismatch(value, $"field {name}", "bool"),
    };

    public static float? Float(JsonElement element, string name) => Property(element, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetSingle(out var number) && float.IsFinite(number) => number,
        { } value => throw Mismatch(value, $"field {name}", "float32"),
    };

    public static ToxiproxyException Mismatch(JsonElement value, string what, string expected) =>
        ToxiproxyException.BadRequestBody($"json: cannot unmarshal {KindName(value)} into {what} of type {expected}");

    private static string KindName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Null => "null",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
