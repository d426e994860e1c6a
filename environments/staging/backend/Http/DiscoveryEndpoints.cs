using System.Text.Json.Nodes;
using Replica.Staging.Backend.Configuration;
using Replica.Staging.Backend.Protocol;
using Replica.Staging.Backend.Startup;
using Replica.Staging.Common;

namespace Replica.Staging.Backend.Http;

/// <summary>/api/discovery/services: where the platform's services are, as the frontend asked staging.</summary>
public sealed class DiscoveryEndpoints(BackendSettings settings, StartupState startup, TimeProvider clock)
{
    public void Map(WebApplication app) => app.MapGet("/api/discovery/services", (HttpRequest request) =>
    {
        var backend = $"{request.Scheme}://{request.Host}";
        var websocket = $"{(request.IsHttps ? "wss" : "ws")}://{request.Host}/ws";
        return JsonResults.Json(new JsonObject
        {
            ["services"] = new JsonObject
            {
                ["backend"] = new JsonObject
                {
                    ["name"] = HealthEndpoints.ServiceName,
                    ["url"] = backend,
                    ["websocket_url"] = websocket,
                    ["health_url"] = $"{backend}/health",
                    ["status"] = startup.Failure is not null ? "unhealthy" : startup.IsComplete ? "healthy" : "starting",
                    ["version"] = HealthEndpoints.Version,
                },
                ["auth"] = new JsonObject
                {
                    ["name"] = "netra-auth-service",
                    ["url"] = settings.AuthServiceUrl,
                    ["health_url"] = settings.AuthServiceUrl is { } auth ? $"{auth.TrimEnd('/')}/auth/health" : null,
                    ["status"] = settings.AuthServiceUrl is null ? "not_configured" : "configured",
                },
                ["frontend"] = new JsonObject
                {
                    ["name"] = "netra-frontend",
                    ["url"] = settings.FrontendUrl,
                    ["status"] = settings.FrontendUrl is null ? "not_configured" : "configured",
                },
            },
            ["timestamp"] = ProtocolTime.Iso(clock),
            ["available"] = true,
        });
    });
}
