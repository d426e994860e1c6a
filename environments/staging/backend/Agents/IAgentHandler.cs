using System.Text.Json.Nodes;
using Replica.Staging.Backend.Auth;

namespace Replica.Staging.Backend.Agents;

/// <summary>What answers a start_agent message: the supervisor, or the fallback installed when it could not be created.</summary>
public interface IAgentHandler
{
    string Name { get; }

    Task HandleAsync(JsonObject message, AuthenticatedUser user, Func<JsonObject, Task> send, CancellationToken cancellationToken);
}
