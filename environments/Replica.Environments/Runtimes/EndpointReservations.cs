using Replica.Environments.Compose;
using Replica.Environments.Processes;

namespace Replica.Environments.Runtimes;

/// <summary>
/// The host endpoints of each service, fixed the first time they are asked for: a service keeps them across
/// restarts, and dependents of a service that starts late can be pointed at them before it listens. A declared
/// host port is used as written; otherwise an ephemeral one is picked. With <paramref name="holdPorts"/>, each picked
/// port stays held (<see cref="PortReservation"/>) until <see cref="Release"/> or disposal, so nothing else can take
/// it before the service binds it or while it restarts, and stays given (<see cref="IsGiven"/>) until disposal, so no
/// other environment of this process picks it after a release either.
/// </summary>
public sealed class EndpointReservations(Func<PortMapping, string> hostOf, bool holdPorts = false) : IDisposable
{
    // Every port picked by any instance in this process and not yet disposed. A reservation holds a port only while
    // nothing listens on it: the docker runtime lets go of a container's ports just before the engine binds them, and
    // a stopped container holds none. In those gaps the kernel may offer the same port to another copy of the same
    // `verify` picking its own, and the engine then refuses one of the two containers ("port is already allocated").
    private static readonly HashSet<int> Given = [];

    private readonly Dictionary<string, IReadOnlyDictionary<int, HostEndpoint>> _reserved = [];
    private readonly Dictionary<string, List<PortReservation>> _held = [];
    private readonly List<int> _given = [];

    /// <summary>Whether <paramref name="port"/> was picked for a service of an environment of this process that is still up.</summary>
    public static bool IsGiven(int port)
    {
        lock (Given)
        {
            return Given.Contains(port);
        }
    }

    public IReadOnlyDictionary<int, HostEndpoint> For(ServiceDefinition service)
    {
        lock (_reserved)
        {
            if (!_reserved.TryGetValue(service.Name, out var endpoints))
            {
                var held = new List<PortReservation>();
                try
                {
                    _reserved[service.Name] = endpoints = service.Ports.ToDictionary(
                        p => p.ContainerPort,
                        p =>
                        {
                            var host = hostOf(p);
                            if (p.HostPort is { } declared)
                            {
                                return new HostEndpoint(host, declared);
                            }
                            if (!holdPorts)
                            {
                                return new HostEndpoint(host, PortAllocator.Ephemeral(host));
                            }
                            var reservation = PortReservation.Ephemeral(host, IsGiven);
                            held.Add(reservation);
                            lock (Given)
                            {
                                Given.Add(reservation.Port);
                            }
                            _given.Add(reservation.Port);
                            return new HostEndpoint(host, reservation.Port);
                        });
                }
                catch
                {
                    held.ForEach(r => r.Dispose());
                    throw;
                }
                _held[service.Name] = held;
            }
            return endpoints;
        }
    }

    /// <summary>
    /// Stops holding <paramref name="service"/>'s ports (they stay its endpoints): for a service that may bind without
    /// SO_REUSEADDR, just before it starts.
    /// </summary>
    public void Release(ServiceDefinition service)
    {
        lock (_reserved)
        {
            if (_held.Remove(service.Name, out var held))
            {
                held.ForEach(r => r.Dispose());
            }
        }
    }

    public void Dispose()
    {
        lock (_reserved)
        {
            foreach (var held in _held.Values)
            {
                held.ForEach(r => r.Dispose());
            }
            _held.Clear();
            lock (Given)
            {
                Given.ExceptWith(_given);
            }
            _given.Clear();
        }
    }
}
