using Replica.Environments.Compose;
using Replica.Environments.Runtimes;

namespace Replica.Environments.Hosting;

/// <summary>
/// Puts something (a fault proxy) between a service and a dependency: given the dependency, where it really
/// is, and the host the services can reach, returns the address the dependent must use instead.
/// </summary>
public delegate Task<HostEndpoint> DependencyInterposer(DependencyConnection dependency, HostEndpoint upstream, string serviceFacingHost, CancellationToken cancellationToken);
