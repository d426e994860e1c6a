using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Environments.Compose;

/// <summary>Compose's depends_on conditions.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<DependencyCondition>))]
public enum DependencyCondition
{
    ServiceStarted,
    ServiceHealthy,
    ServiceCompletedSuccessfully,
}
