using Replica.Environments.Compose;
using Replica.Environments.Hosting;
using Replica.Environments.Runtimes;
using Replica.Environments.Runtimes.Process;

namespace Replica.Environments.Tests;

/// <summary>
/// The process runtime, except that disposing the named service really stops it and then throws — a constructed
/// teardown failure (in real life: a stop timeout, a data directory that cannot be removed).
/// </summary>
public sealed class StopFailingRuntime(RuntimeContext context, string failingService) : IServiceRuntime
{
    private readonly ProcessRuntime _inner = new(new ProcessRuntimeOptions(
        context.WorkDirectory, ProcessRuntimeOptions.DefaultCacheDirectory, context.ProcessStarted, context.Progress));

    public bool Disposed { get; private set; }

    public string Name => _inner.Name;

    public string ServiceFacingHost => _inner.ServiceFacingHost;

    public Task PrepareAsync(Topology topology, CancellationToken cancellationToken) => _inner.PrepareAsync(topology, cancellationToken);

    public async Task<IServiceInstance> StartAsync(ServiceLaunch launch, CancellationToken cancellationToken)
    {
        var instance = await _inner.StartAsync(launch, cancellationToken);
        return launch.Service.Name == failingService ? new StopFailingInstance(instance) : instance;
    }

    public IReadOnlyDictionary<int, HostEndpoint>? ReserveEndpoints(ServiceDefinition service) => _inner.ReserveEndpoints(service);

    public string? DirectAddress(DependencyConnection connection, IReadOnlyDictionary<int, HostEndpoint> dependency) => _inner.DirectAddress(connection, dependency);

    public async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        Disposed = true;
    }
}
