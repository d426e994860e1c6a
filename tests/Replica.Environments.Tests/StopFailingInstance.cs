using Replica.Environments.HealthChecks;
using Replica.Environments.Runtimes;

namespace Replica.Environments.Tests;

/// <summary>A service instance whose dispose stops it and then throws (see <see cref="StopFailingRuntime"/>).</summary>
public sealed class StopFailingInstance(IServiceInstance inner) : IServiceInstance
{
    public const string Failure = "constructed failure: the stop timed out";

    public string ServiceName => inner.ServiceName;

    public int? ProcessId => inner.ProcessId;

    public string? ContainerId => inner.ContainerId;

    public IReadOnlyDictionary<int, HostEndpoint> Endpoints => inner.Endpoints;

    public Task<int> Exited => inner.Exited;

    public string LogFile => inner.LogFile;

    public IHealthCheck? RuntimeHealthCheck => inner.RuntimeHealthCheck;

    public Task StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

    public Task StopAsync(TimeSpan grace, CancellationToken cancellationToken) => inner.StopAsync(grace, cancellationToken);

    public Task KillAsync(CancellationToken cancellationToken) => inner.KillAsync(cancellationToken);

    public Task PauseAsync(CancellationToken cancellationToken) => inner.PauseAsync(cancellationToken);

    public Task ResumeAsync(CancellationToken cancellationToken) => inner.ResumeAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        throw new TimeoutException(Failure);
    }
}
