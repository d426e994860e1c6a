using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Environments.State;

[JsonConverter(typeof(CamelCaseEnumConverter<EnvironmentPhase>))]
public enum EnvironmentPhase
{
    Starting,
    Up,
    Failed,
    Stopping,
}
