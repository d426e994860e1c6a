using System.Text.Json.Nodes;
using Replica.Environments.Compose;
using Replica.Environments.Hosting;
using Replica.Staging.Common;
using Replica.Tests.Support;

namespace Replica.Staging.Tests;

/// <summary>
/// The reference topology (compose.yaml) as the staging tests use it, and tokens signed with its secret.
/// </summary>
public static class StagingTopology
{
    private static readonly Lazy<Topology> Loaded = new(() => ComposeLoader.Load(RepositoryPaths.ComposeFile));

    public static Topology Reference => Loaded.Value;

    public static string JwtSecret => Reference["auth"].Environment["JWT_SECRET_STAGING"];

    public static string BypassKey => Reference["auth"].Environment["E2E_OAUTH_SIMULATION_KEY"];

    public static EnvironmentBuilder Builder(string name, string stateRoot) =>
        new EnvironmentBuilder().WithTopology(Reference).WithName(name).WithStateDirectory(stateRoot);

    /// <summary>
    /// The reference topology with the backend gated on liveness (GET /api/health/live: it listens) instead of
    /// /health, so an environment whose backend is expected to stay unhealthy (R1 under seed) or to become healthy only
    /// later still starts — once the process is up, within its start timeout — and the test then watches /health and
    /// the log for the incident alone. Only the test's copy changes: compose.yaml stays as it is.
    /// </summary>
    public static Topology BackendGatedOnLiveness() => Reference with
    {
        Services = Reference.Services
            .Select(s => s.Name == "backend" ? s with { Replica = s.Replica with { Health = new HealthCheckSpec(HealthCheckKind.Http, "/api/health/live") } } : s)
            .ToList(),
    };

    /// <summary>An access token as the auth service mints it (or a test client would), signed with the staging secret by Microsoft.IdentityModel.</summary>
    public static string AccessToken(string userId = "e2e-tester", TimeSpan? lifetime = null, string? secret = null, bool withAudience = true)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["sub"] = userId,
            ["email"] = userId + "@example.com",
            ["permissions"] = new JsonArray("read", "write"),
            ["iat"] = now,
            ["exp"] = now + (long)(lifetime ?? TimeSpan.FromMinutes(15)).TotalSeconds,
            ["type"] = "access",
            ["iss"] = "netra-auth-service",
            ["jti"] = Guid.NewGuid().ToString(),
        };
        if (withAudience)
        {
            claims["aud"] = "netra-platform";
        }
        return Hs256Tokens.Sign(claims.ToJsonString(), secret ?? JwtSecret);
    }
}
