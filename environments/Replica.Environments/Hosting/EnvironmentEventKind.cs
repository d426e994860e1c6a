using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Environments.Hosting;

[JsonConverter(typeof(CamelCaseEnumConverter<EnvironmentEventKind>))]
public enum EnvironmentEventKind
{
    Progress,
    Starting,
    Started,
    Healthy,
    Unhealthy,
    Stopping,
    Stopped,
    Killed,
    Paused,
    Resumed,
    Exited,
}
