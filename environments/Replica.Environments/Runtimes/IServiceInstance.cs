using Replica.Environments.HealthChecks;

namespace Replica.Environments.Runtimes;

/// <summary>
/// One running (or stopped) service as a runtime holds it: a process group or a container. The verbs map to
/// signals or to the engine's container verbs. Disposing it stops it for good and releases what it holds.
/// </summary>
public interface IServiceInstance : IAsyncDisposable
{
    string ServiceName { get; }

    /// <summary>The host process id (process runtime), or null.</summary>
    int? ProcessId { get; }

    /// <summary>The container id (docker runtime), or null.</summary>
    string? ContainerId { get; }

    /// <summary>Where each declared container port is reachable from this machine.</summary>
    IReadOnlyDictionary<int, HostEndpoint> Endpoints { get; }

    /// <summary>Completes with the exit code when the service exits (for any reason, including a stop).</summary>
    Task<int> Exited { get; }

    string LogFile { get; }

    /// <summary>
    /// A check the runtime itself runs and that must pass too before the service counts as healthy (a container's
    /// HEALTHCHECK, as the engine reports it); null when there is none.
    /// </summary>
    IHealthCheck? RuntimeHealthCheck { get; }

    /// <summary>Starts it again after a stop or kill, on the same endpoints when the runtime can keep them.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Asks it to stop (SIGTERM or the service's usual stop signal), then kills it after <paramref name="grace"/>.</summary>
    Task StopAsync(TimeSpan grace, CancellationToken cancellationToken);

    Task KillAsync(CancellationToken cancellationToken);

    Task PauseAsync(CancellationToken cancellationToken);

    Task ResumeAsync(CancellationToken cancellationToken);
}
