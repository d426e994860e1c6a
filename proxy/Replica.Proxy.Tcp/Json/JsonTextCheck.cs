using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Replica.Proxy.Tcp.Json;

/// <summary>
/// Finds JSON strings that parse but cannot be decoded: bytes that are not UTF-8, and <c>\uD800</c>-style escapes of
/// a lone surrogate. System.Text.Json accepts both while parsing and only fails when the string is read — in an API,
/// that is a 500 after part of the work is done, or a value stored that can never be written back. The APIs check a
/// body with this first and answer 400 naming the field and the byte offset. Only the first JSON value is scanned
/// (trailing bytes are the caller's business); malformed JSON is left to the parser, which says where it broke.
/// </summary>
public static class JsonTextCheck
{
    /// <summary>The first undecodable string of the first JSON value in <paramref name="json"/>, or null when there is none.</summary>
    public static UndecodableString? Find(ReadOnlySpan<byte> json, JsonReaderOptions options = default)
    {
        var reader = new Utf8JsonReader(json, options with { AllowMultipleValues = true });
        var path = new List<PathStep>();
        try
        {
            while (reader.Read())
            {
                var token = reader.TokenType;
                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    path.RemoveAt(path.Count - 1);
                    if (path.Count == 0)
                    {
                        return null;
                    }
                    continue;
                }
                if (token == JsonTokenType.PropertyName)
                {
                    path[^1] = path[^1] with { Name = null };
                    if (Check(ref reader, Field(path)) is { } badName)
                    {
                        return badName with { Reason = "a property name: " + badName.Reason };
                    }
                    path[^1] = path[^1] with { Name = reader.GetString() };
                    continue;
                }
                // A value starts: in an array, it is the next element.
                if (path.Count > 0 && path[^1].IsArray)
                {
                    path[^1] = path[^1] with { Index = path[^1].Index + 1 };
                }
                if (token == JsonTokenType.String && Check(ref reader, Field(path)) is { } badValue)
                {
                    return badValue;
                }
                if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    path.Add(new PathStep(token == JsonTokenType.StartArray, null, -1));
                }
                else if (path.Count == 0)
                {
                    return null;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed: the parser reports it with its position.
        }
        return null;
    }

    /// <summary>
    /// The path of the first string in <paramref name="node"/> (a value or a property name) that is not Unicode text —
    /// a lone surrogate in a C# string, which a JSON writer would silently turn into U+FFFD, or an escape of one in a
    /// parsed value, which fails when written — or null when every string can be written as it is.
    /// </summary>
    public static string? FindUnwritable(JsonNode? node, string path = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    var field = path.Length == 0 ? name : $"{path}.{name}";
                    if (!IsText(name))
                    {
                        return path;
                    }
                    if (FindUnwritable(value, field) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (FindUnwritable(array[i], $"{path}[{i}]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    return IsText(value.GetValue<string>()) ? null : path;
                }
                catch (InvalidOperationException)
                {
                    return path;
                }
            default:
                return null;
        }
    }

    /// <summary>Whether <paramref name="text"/> is well-formed UTF-16: every surrogate is half of a pair.</summary>
    public static bool IsText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static UndecodableString? Check(ref Utf8JsonReader reader, string field)
    {
        // The token's bytes as written (still escaped), after the opening quote; one span, since the input is one.
        var raw = reader.ValueSpan;
        var start = reader.TokenStartIndex + 1;
        var invalid = FirstInvalidUtf8(raw);
        if (invalid >= 0)
        {
            return new UndecodableString(field, start + invalid, $"byte 0x{raw[invalid]:X2} is not valid UTF-8");
        }
        if (!reader.ValueIsEscaped)
        {
            return null;
        }
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\')
            {
                continue;
            }
            // The reader has checked every escape: a \u has four hex digits after it.
            if (raw[i + 1] != 'u')
            {
                i++;
                continue;
            }
            var unit = Hex(raw.Slice(i + 2, 4));
            if (char.IsHighSurrogate(unit) && i + 11 < raw.Length && raw[i + 6] == '\\' && raw[i + 7] == 'u' && char.IsLowSurrogate(Hex(raw.Slice(i + 8, 4))))
            {
                i += 11;
                continue;
            }
            if (char.IsSurrogate(unit))
            {
                return new UndecodableString(field, start + i,
                    $"\\u{(int)unit:x4} is a lone surrogate (half of a UTF-16 pair), not a character");
            }
            i += 5;
        }
        return null;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }
            offset += consumed;
        }
        return -1;
    }

    private static char Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var d in digits)
        {
            value = (value << 4) | (d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
        }
        return (char)value;
    }

    private static string Field(List<PathStep> path)
    {
        var text = new StringBuilder();
        foreach (var step in path)
        {
            if (step.IsArray)
            {
                text.Append('[').Append(Math.Max(step.Index, 0)).Append(']');
            }
            else if (step.Name is not null)
            {
                if (text.Length > 0)
                {
                    text.Append('.');
                }
                text.Append(step.Name);
            }
        }
        return text.ToString();
    }

    private sealed record PathStep(bool IsArray, string? Name, int Index);
}
