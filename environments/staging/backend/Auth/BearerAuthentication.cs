using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace Replica.Staging.Backend.Auth;

/// <summary>
/// "Authorization: Bearer" for the HTTP API, answering as staging's framework did: no credentials 403
/// {"detail":"Not authenticated"}; a token that does not validate 401 {"detail":"Invalid or expired token"}.
/// </summary>
public sealed class BearerAuthentication(AccessTokenValidator validator, ILogger logger)
{
    public bool TryAuthenticate(HttpRequest request, [NotNullWhen(true)] out AuthenticatedUser? user, [NotNullWhen(false)] out IResult? failure)
    {
        user = null;
        if (TokenOf(request) is not { } token)
        {
            failure = Results.Json(new { detail = "Not authenticated" }, statusCode: StatusCodes.Status403Forbidden);
            return false;
        }
        if (!validator.TryValidate(token, out user, out var error))
        {
            logger.LogInformation("http: rejected bearer token on {Path}: {Error}", request.Path, error);
            failure = Results.Json(new { detail = "Invalid or expired token" }, statusCode: StatusCodes.Status401Unauthorized);
            return false;
        }
        failure = null;
        return true;
    }

    public static bool HasCredentials(HttpRequest request) => TokenOf(request) is not null;

    /// <summary>The token of an "Authorization: Bearer &lt;token&gt;" header (scheme in any case); null when there is none.</summary>
    internal static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } token ? token : null;
    }
}
