using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Environments.Compose;

[JsonConverter(typeof(CamelCaseEnumConverter<HealthCheckKind>))]
public enum HealthCheckKind
{
    /// <summary>No check: the service counts as healthy once started.</summary>
    None,
    Tcp,
    Http,
    RedisPing,
    PostgresQuery,
}
