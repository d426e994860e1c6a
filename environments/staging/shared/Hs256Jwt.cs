using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Replica.Staging.Shared;

/// <summary>
/// HS256 JSON Web Tokens (RFC 7519, compact form): sign a claim set, and verify a token's header (alg must be exactly
/// HS256 — "none" and every other algorithm are refused), its signature (compared in constant time), exp (required,
/// at most year 9999) and nbf. The JWT packages do not restore on this machine, and this is all staging uses. Linked into auth and backend.
/// </summary>
public static class Hs256Jwt
{
    /// <summary>The last second a <see cref="DateTimeOffset"/> can hold (9999-12-31T23:59:59Z), as Unix time.</summary>
    private static readonly long LatestExp = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private static readonly string EncodedHeader = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    public static string Sign(JsonObject claims, string secret)
    {
        var signingInput = EncodedHeader + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>
    /// Verifies <paramref name="token"/> against <paramref name="secret"/> at <paramref name="now"/>. On failure
    /// <paramref name="error"/> says why in words a client may be shown ("token expired", "invalid signature", ...).
    /// </summary>
    public static bool TryVerify(
        string token,
        string secret,
        DateTimeOffset now,
        [NotNullWhen(true)] out JsonObject? claims,
        [NotNullWhen(false)] out string? error)
    {
        claims = null;
        if (string.IsNullOrEmpty(secret))
        {
            error = "no signing secret configured";
            return false;
        }
        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            error = "malformed token";
            return false;
        }
        if (ParseObject(parts[0]) is not { } header)
        {
            error = "malformed token header";
            return false;
        }
        // Exact match: "none", "HS512", "hs256" or a missing alg are all refused, never guessed.
        if (header["alg"] is not JsonValue alg || !alg.TryGetValue(out string? algorithm) || algorithm != "HS256")
        {
            error = "unsupported algorithm (HS256 required)";
            return false;
        }
        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            error = "malformed signature";
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(signature, expected))
        {
            error = "invalid signature";
            return false;
        }
        if (ParseObject(parts[1]) is not { } payload)
        {
            error = "malformed token payload";
            return false;
        }
        var seconds = now.ToUnixTimeMilliseconds() / 1000.0;
        if (NumberOf(payload, "exp") is not { } exp)
        {
            error = "token has no exp claim";
            return false;
        }
        if (exp > LatestExp)
        {
            // Past year 9999: no DateTimeOffset holds it, so no caller could tell when the token expires.
            error = "exp claim out of range";
            return false;
        }
        if (seconds >= exp)
        {
            error = "token expired";
            return false;
        }
        if (payload.ContainsKey("nbf"))
        {
            if (NumberOf(payload, "nbf") is not { } nbf)
            {
                error = "malformed nbf claim";
                return false;
            }
            if (seconds < nbf)
            {
                error = "token not yet valid";
                return false;
            }
        }
        claims = payload;
        error = null;
        return true;
    }

    private static JsonObject? ParseObject(string segment)
    {
        try
        {
            return JsonNode.Parse(Base64Url.DecodeFromChars(segment)) as JsonObject;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A number claim as a finite double; null when absent, not a number, or too large for one (1e400).</summary>
    private static double? NumberOf(JsonObject payload, string claim) =>
        payload[claim] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out double number) && double.IsFinite(number)
            ? number
            : null;
}
