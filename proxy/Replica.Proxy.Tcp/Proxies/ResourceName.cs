using System.Text;
using System.Text.Json;

namespace Replica.Proxy.Tcp.Proxies;

/// <summary>
/// What a proxy or toxic name may be: anything the API can address again as one segment of its own URLs
/// (<c>/proxies/{proxy}/toxics/{toxic}</c>, percent-encoded as clients do). So no control characters (a URL cannot
/// carry them, not even encoded), no <c>/</c> (it would split the segment), not <c>.</c> or <c>..</c> (clients and
/// servers resolve them as dot segments), and at most <see cref="MaxBytes"/> bytes of UTF-8, so that two encoded
/// names fit in a request line. Toxiproxy itself accepts any name, and then cannot delete some of them.
/// </summary>
public static class ResourceName
{
    /// <summary>The longest name in bytes of UTF-8 (255 ASCII characters).</summary>
    public const int MaxBytes = 255;

    /// <summary>The rule in one sentence, for error messages and docs.</summary>

    public const string Rule = "a name is at most 255 bytes of UTF-8, without control characters or '/', and not '.' or '..', so that the API's URLs can address it";

    /// <summary>Why <paramref name="name"/> cannot be a name, or null when it can. An empty name is the caller's case (a default or "missing").</summary>
    public static string? Problem(string name)
    {
        if (name is "." or "..")
        {
            return $"'{name}' is a dot segment of a URL";
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsControl(c))
            {
                return $"it holds the control character U+{(int)c:X4} at position {i}";
            }
            if (c == '/')
            {
                return $"it holds '/' at position {i}";
            }
        }
        if (!Replica.Proxy.Tcp.Json.JsonTextCheck.IsText(name))
        {
            return "it is not Unicode text (it holds a lone UTF-16 surrogate)";
        }
        var bytes = Encoding.UTF8.GetByteCount(name);
        return bytes > MaxBytes ? $"it is {bytes} bytes long" : null;
    }

    /// <summary>400 <c>invalid proxy name "a\u0000b": it holds … ; a name is …</c> when the name cannot be one.</summary>
    public static void Check(string name, string what, string at = "")
    {
        if (Problem(name) is { } problem)
        {
            throw ToxiproxyException.BadRequest($"invalid {what} name {Quote(name)}{at}: {problem}; {Rule}");
        }
    }

    // JSON-quoted (control characters escaped) and cut, so the message itself is one readable line.
    private static string Quote(string name)
    {
        var shown = name.Length <= 40 ? name : name[..(char.IsHighSurrogate(name[39]) ? 39 : 40)] + "…";
        return "\"" + JsonEncodedText.Encode(shown, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";
    }
}
