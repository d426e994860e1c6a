namespace Replica.Environments.Compose;

/// <summary>
/// What Replica checks to call a service healthy. Taken from x-replica.health, else inferred from the kind
/// (redis → PING, postgres → SELECT 1) or from the compose healthcheck (an http:// URL in the test → GET that path),
/// else a TCP connect to the first port.
/// </summary>
public sealed record HealthProbeSpec(HealthProbeKind Kind, string? Path = null, int? ContainerPort = null)
{
    public static readonly HealthProbeSpec None = new(HealthProbeKind.None);

    public override string ToString() => Kind switch
    {
        HealthProbeKind.Http => $"HTTP GET {Path}",
        HealthProbeKind.Tcp => "TCP connect",
        HealthProbeKind.RedisPing => "Redis PING",
        HealthProbeKind.PostgresQuery => "PostgreSQL SELECT 1",
        _ => "none",
    };
}
