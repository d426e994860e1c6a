using Microsoft.IdentityModel.Tokens;
using Replica.Staging.Common;

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
        // Whole seconds, as iat and exp are written; no nbf, as staging's tokens had none.
        var now = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds()).UtcDateTime;
        return Hs256Tokens.Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = StagingTokenClaims.Issuer,
            Audience = StagingTokenClaims.Audience,
            IssuedAt = now,
            Expires = now + lifetime,
            SigningCredentials = Hs256Tokens.Credentials(secret),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = userId,
                ["email"] = email,
                ["permissions"] = permissions.ToArray(),
                ["type"] = type,
                ["token_type"] = type,
                ["jti"] = Guid.NewGuid().ToString(),
            },
        });
    }
}
