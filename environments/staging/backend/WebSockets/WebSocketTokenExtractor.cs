using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Replica.Staging.Backend.Auth;

namespace Replica.Staging.Backend.WebSockets;

/// <summary>
/// Finds the token of a WebSocket handshake, in staging's order: Authorization: Bearer; a Sec-WebSocket-Protocol entry
/// jwt.&lt;base64url(token) without padding&gt; (or jwt.&lt;token&gt;), then jwt-auth.&lt;token&gt;, then bearer.&lt;token&gt;;
/// the query parameter ?token=. The first one found is the one validated.
/// </summary>
public static class WebSocketTokenExtractor
{
    public static bool TryFind(HttpRequest request, IList<string> offeredProtocols, [NotNullWhen(true)] out string? token, [NotNullWhen(true)] out string? source)
    {
        if (BearerAuthentication.TokenOf(request) is { } bearer)
        {
            (token, source) = (bearer, "Authorization header");
            return true;
        }
        foreach (var (prefix, decode) in new (string, bool)[] { ("jwt.", true), ("jwt-auth.", false), ("bearer.", false) })
        {
            if (offeredProtocols.FirstOrDefault(p => p.StartsWith(prefix, StringComparison.Ordinal) && p.Length > prefix.Length) is { } entry)
            {
                var value = entry[prefix.Length..];
                (token, source) = (decode ? FromJwtEntry(value) : value, $"subprotocol {prefix}");
                return true;
            }
        }
        if (request.Query["token"].ToString() is { Length: > 0 } query)
        {
            (token, source) = (query, "query parameter");
            return true;
        }
        (token, source) = (null, null);
        return false;
    }

    /// <summary>A jwt. entry carries the token base64url-encoded (a token has two dots; an encoded one has none) or as it is.</summary>
    private static string FromJwtEntry(string value)
    {
        if (value.Count(c => c == '.') == 2)
        {
            return value;
        }
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value));
        }
        catch (FormatException)
        {
            return value;
        }
    }
}
