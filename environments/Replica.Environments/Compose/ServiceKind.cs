namespace Replica.Environments.Compose;

/// <summary>How the process runtime runs a service (x-replica.kind).</summary>
public enum ServiceKind
{
    /// <summary>A command (or a .NET project's built output) run as a child process.</summary>
    Process,
    /// <summary>redis-server from the machine, on an ephemeral port, no persistence.</summary>
    Redis,
    /// <summary>PostgreSQL from the machine, a fresh data directory, user and database from POSTGRES_* settings.</summary>
    Postgres,
}
