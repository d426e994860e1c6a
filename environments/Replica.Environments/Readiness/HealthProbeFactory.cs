using Replica.Environments.Compose;
using Replica.Environments.Runtimes;

namespace Replica.Environments.Readiness;

/// <summary>Builds the probe a service's <see cref="HealthProbeSpec"/> asks for, against where it runs.</summary>
public static class HealthProbeFactory
{
    /// <summary>The service's check from the host, and the runtime's own check (a container HEALTHCHECK) when it has one.</summary>
    public static IHealthProbe? Create(ServiceDefinition service, IServiceInstance instance)
    {
        var fromHost = FromHost(service, instance);
        return (fromHost, instance.RuntimeHealthCheck) switch
        {
            (null, var runtime) => runtime,
            (var host, null) => host,
            (var host, var runtime) => new AllHealthProbes([host, runtime]),
        };
    }

    private static IHealthProbe? FromHost(ServiceDefinition service, IServiceInstance instance)
    {
        var spec = service.Replica.Health;
        if (spec.Kind == HealthProbeKind.None)
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

    /// <summary>A probe from its parts (what the state file records), for `replica status`.</summary>
    public static IHealthProbe? Create(HealthProbeSpec spec, HostEndpoint endpoint, IReadOnlyDictionary<string, string> env)
    {
        var user = env.GetValueOrDefault("POSTGRES_USER") is { Length: > 0 } u ? u : "postgres";
        return spec.Kind switch
        {
            HealthProbeKind.Tcp => new TcpHealthProbe(endpoint),
            HealthProbeKind.Http => new HttpHealthProbe(endpoint, spec.Path ?? "/"),
            HealthProbeKind.RedisPing => new RedisPingProbe(endpoint),
            HealthProbeKind.PostgresQuery => new PostgresQueryProbe(endpoint, user, env.GetValueOrDefault("POSTGRES_PASSWORD"),
                env.GetValueOrDefault("POSTGRES_DB") is { Length: > 0 } d ? d : user),
            _ => null,
        };
    }
}
