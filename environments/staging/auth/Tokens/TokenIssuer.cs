using System.Text.Json.Nodes;
using Replica.Staging.Shared;

namespace Replica.Staging.Auth.Tokens;

/// <summary>Mints the access and refresh tokens staging's auth service gave out (HS256, claims as PROTOCOL.md lists).</summary>
public sealed class TokenIssuer(string secret, TimeProvider clock)
{
    public static readonly TimeSpan AccessLifetime = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan RefreshLifetime = TimeSpan.FromDays(7);

    public string IssueAccess(string userId, string email, IReadOnlyList<string> permissions) =>
        Issue(userId, email, permissions, "access", AccessLifetime);

    public string IssueRefresh(string userId, string email, IReadOnlyList<string> permissions) =>
        Issue(userId, email, permissions, "refresh", RefreshLifetime);

    private string Issue(string userId, string email, IReadOnlyList<string> permissions, string type, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["sub"] = userId,
            ["email"] = email,
            ["permissions"] = new JsonArray(permissions.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
            ["iat"] = now,
            ["exp"] = now + (long)lifetime.TotalSeconds,
            ["type"] = type,
            ["token_type"] = type,
            ["iss"] = StagingTokenClaims.Issuer,
            ["aud"] = StagingTokenClaims.Audience,
            ["jti"] = Guid.NewGuid().ToString(),
        };
        return Hs256Jwt.Sign(claims, secret);
    }
}
