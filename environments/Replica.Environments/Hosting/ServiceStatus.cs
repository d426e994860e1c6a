using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Environments.Hosting;

[JsonConverter(typeof(CamelCaseEnumConverter<ServiceStatus>))]
public enum ServiceStatus
{
    /// <summary>Not started yet (waiting for dependencies, or deferred).</summary>
    Pending,
    /// <summary>Running; its health check has not passed yet.</summary>
    Starting,
    Healthy,
    /// <summary>Running, but its health check failed after passing, or never passed in time.</summary>
    Unhealthy,
    Paused,
    Stopped,
    /// <summary>Exited on its own.</summary>
    Exited,
}
