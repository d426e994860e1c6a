using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>A service's state as the loader follows it down the timeline, to catch impossible steps (resuming a service that is not paused).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ServiceState>))]
public enum ServiceState
{
    Running,
    Stopped,
    Paused,
}
