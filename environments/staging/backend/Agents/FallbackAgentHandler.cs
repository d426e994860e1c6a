using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Replica.Staging.Backend.Auth;
using Replica.Staging.Backend.Configuration;
using Replica.Staging.Backend.Protocol;

namespace Replica.Staging.Backend.Agents;

/// <summary>
/// What startup installs when the supervisor could not be created (R3). Runs agents without recording them. Seed: reads
/// only payload.content, so a start_agent carrying payload.user_request (or top-level content) gets no reply at all —
/// the client sees system_message and ping, then silence. Fixed: reads every field, like the supervisor.
/// </summary>
public sealed class FallbackAgentHandler(IncidentMode mode, AgentRunner runner, ServerFrames frames, ILogger logger) : IAgentHandler
{
    public string Name => "fallback";

    public async Task HandleAsync(JsonObject message, AuthenticatedUser user, Func<JsonObject, Task> send, CancellationToken cancellationToken)
    {
        var request = mode == IncidentMode.Seed ? StartAgentRequest.FromPayloadContent(message) : StartAgentRequest.FromAnyField(message);
        if (request is null && mode == IncidentMode.Seed)
        {
            logger.LogInformation("R3: fallback handler dropped start_agent from {User}: no payload.content (the request was in {Field}); no reply sent",
                user.UserId, StartAgentRequest.FromAnyField(message) is null ? "no field" : "payload.user_request or content");
            return;
        }
        if (string.IsNullOrWhiteSpace(request))
        {
            await send(frames.Error("Agent request is empty: send it in payload.user_request or content"));
            return;
        }
        await runner.RunAsync(user, request, StartAgentRequest.ThreadId(message), Name, store: null, send, cancellationToken);
    }
}
