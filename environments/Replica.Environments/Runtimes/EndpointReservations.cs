using Replica.Environments.Compose;
using Replica.Environments.Processes;

namespace Replica.Environments.Runtimes;

/// <summary>
/// The host endpoints of each service, fixed the first time they are asked for: a service keeps them across
/// restarts, and dependents of a service that starts late can be pointed at them before it listens. A declared
/// host port is used as written; otherwise an ephemeral one is picked.
/// </summary>
public sealed class EndpointReservations(Func<PortMapping, string> hostOf)
{
    private readonly Dictionary<string, IReadOnlyDictionary<int, HostEndpoint>> _reserved = [];

    public IReadOnlyDictionary<int, HostEndpoint> For(ServiceDefinition service)
    {
        lock (_reserved)
        {
            if (!_reserved.TryGetValue(service.Name, out var endpoints))
            {
                _reserved[service.Name] = endpoints = service.Ports.ToDictionary(
                    p => p.ContainerPort,
                    p =>
                    {
                        var host = hostOf(p);
                        return new HostEndpoint(host, p.HostPort ?? PortAllocator.Ephemeral(host));
                    });
            }
            return endpoints;
        }
    }
}
