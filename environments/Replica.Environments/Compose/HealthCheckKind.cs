namespace Replica.Environments.Compose;

public enum HealthCheckKind
{
    /// <summary>No check: the service counts as healthy once started.</summary>
    None,
    Tcp,
    Http,
    RedisPing,
    PostgresQuery,
}
