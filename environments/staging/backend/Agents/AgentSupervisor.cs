using System.Text.Json.Nodes;
using Replica.Staging.Backend.Auth;
using Replica.Staging.Backend.Database;
using Replica.Staging.Backend.Protocol;

namespace Replica.Staging.Backend.Agents;

/// <summary>The real handler: reads the request from any field clients use and records the run in PostgreSQL.</summary>
public sealed class AgentSupervisor(AgentRunner runner, ThreadStore store, ServerFrames frames) : IAgentHandler
{
    public string Name => "supervisor";

    public async Task HandleAsync(JsonObject message, AuthenticatedUser user, Func<JsonObject, Task> send, CancellationToken cancellationToken)
    {
        if (StartAgentRequest.FromAnyField(message) is not { } request || string.IsNullOrWhiteSpace(request))
        {
            await send(frames.Error("Agent request is empty: send it in payload.user_request or content"));
            return;
        }
        await runner.RunAsync(user, request, StartAgentRequest.ThreadId(message), Name, store, send, cancellationToken);
    }
}
