using System.Net;
using Replica.Environments.Errors;

namespace Replica.Environments.Docker;

/// <summary>
/// The engine answered a request with an error status. Callers that treat a status as benign (404 on remove,
/// 304 on stop) catch this and look at <see cref="StatusCode"/>.
/// </summary>
public sealed class DockerApiException : ReplicaException
{
    public DockerApiException(string operation, HttpStatusCode statusCode, string engineMessage, DockerEndpoint endpoint)
        : base($"Docker engine at {endpoint}: {operation} failed ({(int)statusCode}): {engineMessage}")
    {
        StatusCode = statusCode;
        EngineMessage = engineMessage;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The engine's own message, e.g. "No such container: abc".</summary>
    public string EngineMessage { get; }
}
