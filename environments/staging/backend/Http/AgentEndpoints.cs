using System.Text.Json.Nodes;
using Replica.Staging.Backend.Agents;
using Replica.Staging.Backend.Auth;
using Replica.Staging.Backend.Database;
using Replica.Staging.Common;

namespace Replica.Staging.Backend.Http;

/// <summary>
/// POST /api/agents/execute: one agent run over HTTP, answered when it ends. Body {"message": "..."} (or "query" /
/// "user_request"), optional "agent_type" and "thread_id"; anything else 422. A bearer token is optional, but when
/// sent it must be valid. A run that fails (its database) is 503 with the reason. Other methods on the route are 405.
/// </summary>
public sealed class AgentEndpoints(AgentRunner runner, ThreadStore store, DatabaseManager database, BearerAuthentication bearer)
{
    private static readonly AuthenticatedUser Anonymous = new("anonymous", null, []);

    public void Map(WebApplication app) => app.MapPost("/api/agents/execute", ExecuteAsync);

    private async Task<IResult> ExecuteAsync(HttpRequest request)
    {
        var user = Anonymous;
        if (BearerAuthentication.HasCredentials(request))
        {
            var (authenticated, failure) = await bearer.AuthenticateAsync(request);
            if (authenticated is null)
            {
                return failure!;
            }
            user = authenticated;
        }
        var (body, error) = await JsonBody.ReadObjectAsync(request);
        if (body is null)
        {
            return error!;
        }
        string? message = null;
        foreach (var field in new[] { "message", "query", "user_request" })
        {
            if (!JsonBody.TryText(body, field, out var value, out var fieldError))
            {
                return fieldError;
            }
            message ??= value;
        }
        if (string.IsNullOrWhiteSpace(message))
        {
            return ValidationErrors.Missing("message");
        }
        if (!JsonBody.TryText(body, "agent_type", out var agentType, out var typeError) || !JsonBody.TryText(body, "thread_id", out var threadId, out typeError))
        {
            return typeError;
        }

        var events = new List<JsonObject>();
        var result = await runner.RunAsync(user, message, threadId, agentType ?? "supervisor", database.IsInitialized ? store : null,
            frame => { events.Add(frame); return Task.CompletedTask; }, request.HttpContext.RequestAborted);
        var last = events[^1];
        if (result is null)
        {
            // What fails a run is its database (the tool is local): a dependency failure, as the other routes answer it.
            return JsonResults.Detail($"Agent execution failed: {last["payload"]?["error_message"]}", StatusCodes.Status503ServiceUnavailable);
        }
        var response = new JsonObject
        {
            ["status"] = "completed",
            ["run_id"] = last["run_id"]!.DeepClone(),
            ["agent_type"] = agentType ?? "supervisor",
            ["result"] = last["payload"]!["result"]!.DeepClone(),
            ["execution_time_ms"] = last["payload"]!["execution_time_ms"]!.DeepClone(),
            ["events"] = new JsonArray(events.Select(e => (JsonNode?)JsonValue.Create(e["type"]!.GetValue<string>())).ToArray()),
        };
        return Results.Content(response.ToJsonString(), "application/json");
    }
}
