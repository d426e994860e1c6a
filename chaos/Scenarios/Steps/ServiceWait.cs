using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>When a start or restart step (or an await step) counts as done.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ServiceWait>))]
public enum ServiceWait
{
    /// <summary>The service's health check passes (the default).</summary>
    Healthy,

    /// <summary>
    /// The service's port accepts a TCP connection: a point that moves with the service itself, not with the machine's
    /// load — a window measured from it stays the same length however slowly the process came up.
    /// </summary>
    Listening,

    /// <summary>The process or container runs (it may not listen yet).</summary>
    Started,
}
