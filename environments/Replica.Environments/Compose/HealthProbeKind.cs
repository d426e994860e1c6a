namespace Replica.Environments.Compose;

public enum HealthProbeKind
{
    /// <summary>No check: the service counts as healthy once started.</summary>
    None,
    Tcp,
    Http,
    RedisPing,
    PostgresQuery,
}
