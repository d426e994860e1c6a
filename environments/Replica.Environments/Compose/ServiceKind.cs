using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Environments.Compose;

/// <summary>How the process runtime runs a service (x-replica.kind).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ServiceKind>))]
public enum ServiceKind
{
    /// <summary>A command (or a .NET project's built output) run as a child process.</summary>
    Process,
    /// <summary>redis-server from the machine, on an ephemeral port, no persistence.</summary>
    Redis,
    /// <summary>PostgreSQL from the machine, a fresh data directory, user and database from POSTGRES_* settings.</summary>
    Postgres,
}
