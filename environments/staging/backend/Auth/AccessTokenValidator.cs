using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Replica.Staging.Common;

namespace Replica.Staging.Backend.Auth;

/// <summary>
/// Accepts any valid HS256 access token with staging's claims, minted by the auth service or by a test client with the
/// same secret. Microsoft.IdentityModel checks the algorithm (HS256 only: "none" and every other is refused), the
/// signature, exp (required, to the second: no clock skew) and nbf against the system clock, and — only when
/// present — iss "netra-auth-service" and aud "netra-platform" (tokens with and without aud are both accepted). Then:
/// an exp past year 9999 is refused as out of range, and the token needs a string subject and type/token_type "access".
/// </summary>
public sealed class AccessTokenValidator
{
    private readonly Lazy<TokenValidationParameters>? _parameters;

    public AccessTokenValidator(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || JwtSecretSetting.CheckSecret("JWT secret", secret) is not null)
        {
            // No usable secret: nothing validates (BackendSettings refuses a short one before this is built).
            return;
        }
        // Built on the first token: loading the token library is no part of the backend's start (R1's race is timed from it).
        _parameters = new(() => new TokenValidationParameters
        {
            IssuerSigningKey = Hs256Tokens.Key(secret),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.Zero,
            ValidateIssuer = true,
            IssuerValidator = (issuer, _, _) => string.IsNullOrEmpty(issuer) || issuer == StagingTokenClaims.Issuer
                ? issuer
                : throw new SecurityTokenInvalidIssuerException("wrong issuer"),
            ValidateAudience = true,
            AudienceValidator = (audiences, _, _) => !audiences.Any() || audiences.Contains(StagingTokenClaims.Audience),
        });
    }

    public bool IsConfigured => _parameters is not null;

    /// <summary>The user the token stands for, or why it does not validate (in words a client may be shown).</summary>
    public async Task<(AuthenticatedUser? User, string? Error)> ValidateAsync(string token)
    {
        if (_parameters is null)
        {
            return (null, "no signing secret configured");
        }
        TokenValidationResult result;
        try
        {
            result = await Hs256Tokens.Handler.ValidateTokenAsync(token, _parameters.Value);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            return (null, Hs256Tokens.Describe(ex));
        }
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return (null, Hs256Tokens.Describe(result.Exception));
        }
        if (!jwt.TryGetPayloadValue<long>("exp", out var exp) || exp > Hs256Tokens.LatestExp)
        {
            // Past year 9999 no DateTimeOffset holds it: the library reads it as "never", this refuses it.
            return (null, "exp claim out of range");
        }
        if (!jwt.TryGetClaim("sub", out var subject) || subject.ValueType != ClaimValueTypes.String || subject.Value.Length == 0)
        {
            return (null, "token has no subject");
        }
        if ((Text(jwt, "type") ?? Text(jwt, "token_type")) != "access")
        {
            return (null, "not an access token");
        }
        var permissions = jwt.Claims.Where(c => c.Type == "permissions" && c.ValueType == ClaimValueTypes.String).Select(c => c.Value).ToList();
        return (new AuthenticatedUser(subject.Value, Text(jwt, "email"), permissions, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero)), null);
    }

    private static string? Text(JsonWebToken jwt, string name) =>
        jwt.TryGetClaim(name, out var claim) && claim.ValueType == ClaimValueTypes.String ? claim.Value : null;
}
