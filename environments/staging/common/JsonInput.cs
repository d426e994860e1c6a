using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Replica.Staging.Common;

/// <summary>
/// Parses what a client sent (an HTTP body, a WebSocket message) as JSON, checked up front so that nothing read from
/// it later can throw: valid UTF-8; well-formed JSON (System.Text.Json, nesting at most 64 deep); no key twice in one
/// object (JsonObject would throw on first use); every string valid Unicode (no unpaired surrogate escape, which
/// reading it would throw on) and free of NUL, which PostgreSQL refuses in text. A problem names where it is and says
/// what is wrong in the services' own words, never a parser's exception text. Linked into auth and backend.
/// </summary>
public static class JsonInput
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>UTF-8 that throws on what it cannot encode: an unpaired surrogate.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The parsed value, or the first problem found.</summary>
    public static (JsonNode? Value, JsonInputProblem? Problem) Parse(ReadOnlySpan<byte> utf8)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return (null, new JsonInputProblem("json_invalid", [], "not valid UTF-8 text"));
        }
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, new JsonInputProblem("json_invalid", [], "no JSON value (the input is empty)"));
        }
        var bytes = utf8.ToArray();
        try
        {
            using var document = JsonDocument.Parse(bytes, Options);
            if (Check(document.RootElement, []) is { } problem)
            {
                return (null, problem);
            }
        }
        catch (JsonException ex)
        {
            return (null, new JsonInputProblem("json_invalid", [], $"not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}"));
        }
        return (JsonNode.Parse(bytes, documentOptions: Options), null);
    }

    /// <summary>What is wrong with a piece of text a client sent (a query parameter, say), or null when nothing is.</summary>
    public static string? TextProblem(string text)
    {
        if (text.Contains('\0'))
        {
            return "text must not contain NUL (\\u0000) characters";
        }
        try
        {
            StrictUtf8.GetByteCount(text);
            return null;
        }
        catch (EncoderFallbackException)
        {
            return "text with an unpaired surrogate is not valid Unicode";
        }
    }

    private static JsonInputProblem? Check(JsonElement element, List<object> path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (StringProblem(() => property.Name, path, "a key: ") is { } nameProblem)
                    {
                        return nameProblem;
                    }
                    List<object> at = [.. path, property.Name];
                    if (!keys.Add(property.Name))
                    {
                        return new JsonInputProblem("json_invalid", at, $"the key '{property.Name}' appears more than once");
                    }
                    if (Check(property.Value, at) is { } problem)
                    {
                        return problem;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Check(item, [.. path, index++]) is { } problem)
                    {
                        return problem;
                    }
                }
                return null;
            case JsonValueKind.String:
                return StringProblem(() => element.GetString()!, path, "");
            default:
                return null;
        }
    }

    private static JsonInputProblem? StringProblem(Func<string> read, List<object> path, string what)
    {
        string text;
        try
        {
            text = read();
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to materialise an escaped unpaired surrogate ("\ud800").
            return new JsonInputProblem("string_unicode", path, what + "text with an unpaired surrogate is not valid Unicode");
        }
        return TextProblem(text) is { } problem ? new JsonInputProblem(text.Contains('\0') ? "value_error" : "string_unicode", path, what + problem) : null;
    }
}
