using Replica.Environments.Compose;
using Replica.Environments.Runtimes;

namespace Replica.Environments.Hosting;

/// <summary>
/// Puts something (a fault proxy) between a service and a dependency: given the edge, where the dependency really
/// is, and the host the services can reach, returns the address the dependent must use instead.
/// </summary>
public delegate Task<HostEndpoint> EdgeInterposer(DependencyEdge edge, HostEndpoint upstream, string serviceFacingHost, CancellationToken cancellationToken);
