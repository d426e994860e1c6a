namespace Replica.Environments.Compose;

/// <summary>
/// What Replica checks to call a service healthy. Taken from x-replica.health, else inferred from the kind
/// (redis → PING, postgres → SELECT 1) or from the compose healthcheck (an http:// URL in the test → GET that path),
/// else a TCP connect to the first port.
/// </summary>
public sealed record HealthCheckSpec(HealthCheckKind Kind, string? Path = null, int? ContainerPort = null)
{
    public static readonly HealthCheckSpec None = new(HealthCheckKind.None);

    public override string ToString() => Kind switch
    {
        HealthCheckKind.Http => $"HTTP GET {Path}",
        HealthCheckKind.Tcp => "TCP connect",
        HealthCheckKind.RedisPing => "Redis PING",
        HealthCheckKind.PostgresQuery => "PostgreSQL SELECT 1",
        _ => "none",
    };
}
