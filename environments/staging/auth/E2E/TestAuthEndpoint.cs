using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Replica.Staging.Auth.Configuration;
using Replica.Staging.Auth.Tokens;
using Replica.Staging.Common;

namespace Replica.Staging.Auth.E2E;

/// <summary>
/// POST /auth/e2e/test-auth: the bypass end-to-end tests use to get tokens without OAuth. Checks in staging's order:
/// production (403), key configured (503), key header present (401), key right (401), body (422).
/// </summary>
public static class TestAuthEndpoint
{
    public const string KeyHeader = "X-E2E-Bypass-Key";
    private static readonly string[] DefaultPermissions = ["read", "write"];

    public static async Task<IResult> HandleAsync(HttpRequest request, AuthSettings settings, TimeProvider clock)
    {
        if (settings.IsProduction)
        {
            return Detail(StatusCodes.Status403Forbidden, "E2E test authentication is not available in production");
        }
        if (settings.E2EBypassKey is not { } configuredKey)
        {
            return Detail(StatusCodes.Status503ServiceUnavailable, "E2E bypass key not configured");
        }
        if (!request.Headers.TryGetValue(KeyHeader, out var offered) || string.IsNullOrEmpty(offered.ToString()))
        {
            return Detail(StatusCodes.Status401Unauthorized, "E2E bypass key required");
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(offered.ToString()), Encoding.UTF8.GetBytes(configuredKey)))
        {
            return Detail(StatusCodes.Status401Unauthorized, "Invalid E2E bypass key");
        }

        var (fields, bodyError) = await JsonBody.ReadObjectAsync(request);
        if (fields is null)
        {
            return bodyError!;
        }
        if (fields["email"] is null)
        {
            return ValidationErrors.Missing("email");
        }
        if (!TryString(fields["email"], out var email) || !email.Contains('@'))
        {
            return ValidationErrors.Result("value_error", ["body", "email"], "value is not a valid email address");
        }
        var localPart = email[..email.IndexOf('@')];
        var name = localPart;
        if (fields["name"] is { } nameNode && !TryString(nameNode, out name))
        {
            return ValidationErrors.WrongType("name", "string");
        }
        IReadOnlyList<string> permissions = DefaultPermissions;
        if (fields["permissions"] is { } permissionsNode)
        {
            if (permissionsNode is not JsonArray array || array.Any(p => !TryString(p, out _)))
            {
                return ValidationErrors.Result("list_type", ["body", "permissions"], "Input should be a valid list of strings");
            }
            permissions = array.Select(p => p!.GetValue<string>()).ToList();
        }
        if (settings.JwtSecret is not { } secret)
        {
            return Detail(StatusCodes.Status503ServiceUnavailable, "JWT secret not configured");
        }

        var userId = "e2e-" + localPart;
        var issuer = new TokenIssuer(secret, clock);
        return JsonResults.Json(new JsonObject
        {
            ["access_token"] = issuer.IssueAccess(userId, email, permissions),
            ["refresh_token"] = issuer.IssueRefresh(userId, email, permissions),
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)TokenIssuer.AccessLifetime.TotalSeconds,
            ["user"] = new JsonObject
            {
                ["id"] = userId,
                ["email"] = email,
                ["name"] = name,
                ["permissions"] = new JsonArray(permissions.Select(p => (JsonNode?)p).ToArray()),
                ["oauth_simulated"] = true,
            },
        });
    }

    private static bool TryString(JsonNode? node, out string value)
    {
        value = "";
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String && (value = v.GetValue<string>()) is not null;
    }

    private static IResult Detail(int status, string detail) => JsonResults.Detail(detail, status);
}
