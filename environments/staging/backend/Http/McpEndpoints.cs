using System.Text.Json.Nodes;
using Replica.Staging.Backend.Agents;
using Replica.Staging.Backend.Configuration;
using Replica.Staging.Common;

namespace Replica.Staging.Backend.Http;

/// <summary>/api/mcp/servers and /api/mcp/config: the MCP server list and configuration staging served.</summary>
public sealed class McpEndpoints(BackendSettings settings)
{
    private const string ServerName = "netra-mcp-server";

    public void Map(WebApplication app)
    {
        app.MapGet("/api/mcp/servers", () => JsonResults.Json(new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject
            {
                ["name"] = ServerName,
                ["status"] = "connected",
                ["version"] = HealthEndpoints.Version,
                ["capabilities"] = new JsonObject { ["tools"] = true, ["resources"] = true, ["prompts"] = false, ["sampling"] = false },
                ["description"] = "Netra MCP server: agent tools over the platform WebSocket (reference copy)",
            }),
            ["status"] = "success",
        }));
        app.MapGet("/api/mcp/config", () => JsonResults.Json(new JsonObject
        {
            ["enabled"] = true,
            ["server"] = new JsonObject { ["name"] = ServerName, ["version"] = HealthEndpoints.Version, ["transport"] = "websocket", ["endpoint"] = "/ws" },
            ["tools"] = new JsonArray(ToolDispatcher.DataAnalyzer),
            ["max_message_size"] = settings.MaxMessageSize,
        }));
    }
}
