using Replica.Environments.Compose;
using Replica.Environments.Runtimes;

namespace Replica.Environments.HealthChecks;

/// <summary>Builds the health check a service's <see cref="HealthCheckSpec"/> asks for, against where it runs.</summary>
public static class HealthCheckFactory
{
    /// <summary>The service's check from the host, and the runtime's own check (a container HEALTHCHECK) when it has one.</summary>
    public static IHealthCheck? Create(ServiceDefinition service, IServiceInstance instance)
    {
        var fromHost = FromHost(service, instance);
        return (fromHost, instance.RuntimeHealthCheck) switch
        {
            (null, var runtime) => runtime,
            (var host, null) => host,
            (var host, var runtime) => new AllHealthChecks([host, runtime]),
        };
    }

    private static IHealthCheck? FromHost(ServiceDefinition service, IServiceInstance instance)
    {
        var spec = service.Replica.Health;
        if (spec.Kind == HealthCheckKind.None)
        {
            return null;
        }
        var port = spec.ContainerPort ?? service.PrimaryPort;
        if (port is null || !instance.Endpoints.TryGetValue(port.Value, out var endpoint))
        {
            return null;
        }
        return Create(spec, endpoint, service.Environment);
    }

    /// <summary>A health check from its parts (what the state file records), for `replica status`.</summary>
    public static IHealthCheck? Create(HealthCheckSpec spec, HostEndpoint endpoint, IReadOnlyDictionary<string, string> env)
    {
        var user = env.GetValueOrDefault("POSTGRES_USER") is { Length: > 0 } u ? u : "postgres";
        return spec.Kind switch
        {
            HealthCheckKind.Tcp => new TcpHealthCheck(endpoint),
            HealthCheckKind.Http => new HttpHealthCheck(endpoint, spec.Path ?? "/"),
            HealthCheckKind.RedisPing => new RedisPingCheck(endpoint),
            HealthCheckKind.PostgresQuery => new PostgresQueryCheck(endpoint, user, env.GetValueOrDefault("POSTGRES_PASSWORD"),
                env.GetValueOrDefault("POSTGRES_DB") is { Length: > 0 } d ? d : user),
            _ => null,
        };
    }
}
