using DotNet.Testcontainers.Configurations;

namespace Replica.Environments.Runtimes.Docker;

/// <summary>
/// One readiness check of a container, as a Testcontainers wait condition (<see cref="IWaitUntil"/>) that also says
/// what it saw the last time it ran, for the message of a service that does not become healthy.
/// </summary>
public interface IContainerCheck : IWaitUntil
{
    /// <summary>What the last evaluation saw: the check's output and exit code, the health the engine reports.</summary>
    string LastDetail { get; }
}
