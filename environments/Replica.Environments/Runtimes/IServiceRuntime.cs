using Replica.Environments.Compose;

namespace Replica.Environments.Runtimes;

/// <summary>Runs the services of a topology: as local processes or as containers.</summary>
public interface IServiceRuntime : IAsyncDisposable
{
    /// <summary>"process" or "docker".</summary>
    string Name { get; }

    /// <summary>
    /// The address of this machine as the services see it: where a fault proxy must listen so that services reach
    /// it (127.0.0.1 for processes, the bridge gateway for containers).
    /// </summary>
    string ServiceFacingHost { get; }

    /// <summary>
    /// Before anything starts: checks that every service can run here (throws a ReplicaException naming what is
    /// missing) and builds what must be built (a .NET project, an image).
    /// </summary>
    Task PrepareAsync(Topology topology, CancellationToken cancellationToken);

    Task<IServiceInstance> StartAsync(ServiceLaunch launch, CancellationToken cancellationToken);

    /// <summary>
    /// The endpoints the service will have once started, fixed now — so dependents of a service that starts late can
    /// be pointed at it before it listens. Null when the runtime only knows them after start.
    /// </summary>
    IReadOnlyDictionary<int, HostEndpoint>? ReserveEndpoints(ServiceDefinition service);

    /// <summary>
    /// How <paramref name="connection"/>'s dependent reaches the dependency directly, as host:port, or null to leave the
    /// reference as written (containers on one network resolve each other by service name).
    /// </summary>
    string? DirectAddress(DependencyConnection connection, IReadOnlyDictionary<int, HostEndpoint> dependency);
}
