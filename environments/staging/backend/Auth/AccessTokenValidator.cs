using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Replica.Staging.Shared;

namespace Replica.Staging.Backend.Auth;

/// <summary>
/// Accepts any valid HS256 access token with staging's claims, minted by the auth service or by a test client with the
/// same secret: signature, exp and nbf (<see cref="Hs256Jwt"/>), a subject, type/token_type "access", and — when
/// present — iss "netra-auth-service" and aud "netra-platform" (tokens with and without aud are both accepted).
/// </summary>
public sealed class AccessTokenValidator(string? secret, TimeProvider clock)
{
    public bool IsConfigured => !string.IsNullOrEmpty(secret);

    public bool TryValidate(string token, [NotNullWhen(true)] out AuthenticatedUser? user, [NotNullWhen(false)] out string? error)
    {
        user = null;
        if (!Hs256Jwt.TryVerify(token, secret ?? "", clock.GetUtcNow(), out var claims, out error))
        {
            return false;
        }
        if (Text(claims, "sub") is not { Length: > 0 } subject)
        {
            error = "token has no subject";
            return false;
        }
        if ((Text(claims, "type") ?? Text(claims, "token_type")) != "access")
        {
            error = "not an access token";
            return false;
        }
        if (claims.ContainsKey("iss") && Text(claims, "iss") != StagingTokenClaims.Issuer)
        {
            error = "wrong issuer";
            return false;
        }
        if (claims["aud"] is { } audience && !HasAudience(audience))
        {
            error = "wrong audience";
            return false;
        }
        var permissions = claims["permissions"] is JsonArray array
            ? array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).ToList()
            : [];
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(claims["exp"]!.GetValue<double>() * 1000));
        user = new AuthenticatedUser(subject, Text(claims, "email"), permissions, expiresAt);
        return true;
    }

    private static bool HasAudience(JsonNode audience) => audience switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() == StagingTokenClaims.Audience,
        JsonArray a => a.OfType<JsonValue>().Any(v => v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == StagingTokenClaims.Audience),
        _ => false,
    };

    private static string? Text(JsonObject claims, string name) =>
        claims[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
