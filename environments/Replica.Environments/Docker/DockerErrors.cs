using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;
using Replica.Environments.Errors;

namespace Replica.Environments.Docker;

/// <summary>What the engine's errors say, in Replica's terms: the engine's own message, and "no engine" (a missing prerequisite) with why.</summary>
public static class DockerErrors
{
    public const string NoEngineHint = "start an engine (environments/images/docker-tier.sh start), or point DOCKER_HOST at one";

    /// <summary>The engine's message (<c>{"message": "..."}</c>), e.g. "No such container: abc"; the body when it is not JSON.</summary>
    public static string EngineMessage(DockerApiException e)
    {
        var body = e.ResponseBody ?? "";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("message", out var message))
            {
                return message.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
        }
        return body.Trim() is { Length: > 0 } text ? text : e.StatusCode.ToString();
    }

    /// <summary>The engine could not be reached at all: no socket, nothing listening, no answer in time.</summary>
    public static bool IsTransportFailure(Exception e) =>
        e is HttpRequestException or SocketException or IOException or OperationCanceledException or TimeoutException
        || (e.InnerException is { } inner && IsTransportFailure(inner));

    public static ReplicaException NoEngine(DockerEndpoint endpoint, Exception e, TimeSpan timeout)
    {
        var socketError = Find<SocketException>(e)?.SocketErrorCode;
        var reason = e switch
        {
            OperationCanceledException or TimeoutException => $"no answer within {timeout.TotalSeconds:0} s",
            _ when endpoint.SocketPath is { } path && !File.Exists(path) => $"the socket {path} does not exist (is dockerd running?)",
            _ when socketError == SocketError.ConnectionRefused => "connection refused (nothing listens there)",
            _ => (Find<SocketException>(e) as Exception ?? e.InnerException ?? e).Message,
        };
        return new ReplicaException($"No Docker engine at {endpoint}: {reason}", kind: ReplicaErrorKind.MissingPrerequisite, hint: NoEngineHint, inner: e);
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }
        return null;
    }
}
