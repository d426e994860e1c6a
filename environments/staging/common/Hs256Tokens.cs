using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Replica.Staging.Common;

/// <summary>
/// HS256 JSON Web Tokens with Microsoft.IdentityModel.JsonWebTokens: the key a shared secret makes (its UTF-8 bytes,
/// as staging's services used it), signing, and what a failed validation means in words a client may be shown.
/// Linked into auth and backend (and used by the tests through the backend).
/// </summary>
public static class Hs256Tokens
{
    /// <summary>The last second a <see cref="DateTimeOffset"/> can hold (9999-12-31T23:59:59Z), as Unix time.</summary>
    public static readonly long LatestExp = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>One handler for every caller (it is thread-safe); it adds no iat/nbf/exp of its own.</summary>
    public static JsonWebTokenHandler Handler { get; } = new() { SetDefaultTimesOnTokenCreation = false };

    public static SymmetricSecurityKey Key(string secret) => new(Encoding.UTF8.GetBytes(secret));

    public static SigningCredentials Credentials(string secret) => new(Key(secret), SecurityAlgorithms.HmacSha256);

    /// <summary>Signs <paramref name="payloadJson"/> (a JSON object of claims) exactly as given.</summary>
    public static string Sign(string payloadJson, string secret) => Handler.CreateToken(payloadJson, Credentials(secret));

    /// <summary>Why a token did not validate, from the library's failure, in a few words (never the library's text).</summary>
    public static string Describe(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenNoExpirationException => "token has no exp claim",
        SecurityTokenInvalidAlgorithmException => "unsupported algorithm (HS256 required)",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "invalid signature",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenInvalidAudienceException => "wrong audience",
        // Not JWS compact form, or a header or payload that is not JSON with well-typed registered claims.
        SecurityTokenMalformedException or ArgumentException => "malformed token",
        _ => "invalid token",
    };
}
