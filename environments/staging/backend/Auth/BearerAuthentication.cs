using Microsoft.Extensions.Logging;
using Replica.Staging.Common;

namespace Replica.Staging.Backend.Auth;

/// <summary>
/// "Authorization: Bearer" for the HTTP API, answering as staging's framework did: no credentials 403
/// {"detail":"Not authenticated"}; a token that does not validate 401 {"detail":"Invalid or expired token"}.
/// </summary>
public sealed class BearerAuthentication(AccessTokenValidator validator, ILogger logger)
{
    /// <summary>The request's user, or the answer to give instead (403 without credentials, 401 with a bad token).</summary>
    public async Task<(AuthenticatedUser? User, IResult? Failure)> AuthenticateAsync(HttpRequest request)
    {
        if (TokenOf(request) is not { } token)
        {
            return (null, JsonResults.Detail("Not authenticated", StatusCodes.Status403Forbidden));
        }
        var (user, error) = await validator.ValidateAsync(token);
        if (user is null)
        {
            logger.LogInformation("http: rejected bearer token on {Path}: {Error}", request.Path, error);
            return (null, JsonResults.Detail("Invalid or expired token", StatusCodes.Status401Unauthorized));
        }
        return (user, null);
    }

    public static bool HasCredentials(HttpRequest request) => TokenOf(request) is not null;

    /// <summary>The token of an "Authorization: Bearer &lt;token&gt;" header (scheme in any case); null when there is none.</summary>
    internal static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } token ? token : null;
    }
}
