using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Containers;
using Replica.Environments.Docker;
using Replica.Environments.Errors;
using Replica.Environments.HealthChecks;

namespace Replica.Environments.Runtimes.Docker;

/// <summary>
/// A service run as a Testcontainers container. Start and pause/unpause are Testcontainers'; stop with a grace, kill
/// and the wait for the exit go through the Docker.DotNet client Testcontainers brings, which has them where
/// Testcontainers does not. The host ports were fixed when the container was created, so its endpoints stay the same
/// across stop and start; its output goes to the log file run after run, each line once. Disposing stops the
/// container (its stop signal, then SIGKILL after the grace) and removes it.
/// </summary>
public sealed class DockerServiceInstance : IServiceInstance
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(10);

    private readonly IContainer _container;
    private readonly IDockerClient _docker;
    private readonly LogFileOutput _output;
    private readonly HealthcheckCommand? _composeHealthcheck;
    private readonly TimeSpan _stopGrace;
    private readonly CancellationTokenSource _disposing = new();
    private Task<int> _exited = Task.FromResult(0);
    private bool _started;
    private int _disposed;

    private DockerServiceInstance(
        IContainer container,
        IDockerClient docker,
        string serviceName,
        string containerName,
        IReadOnlyDictionary<int, HostEndpoint> endpoints,
        string logFile,
        LogFileOutput output,
        HealthcheckCommand? composeHealthcheck,
        TimeSpan stopGrace)
    {
        _container = container;
        _docker = docker;
        ServiceName = serviceName;
        ContainerName = containerName;
        Endpoints = endpoints;
        LogFile = logFile;
        _output = output;
        _composeHealthcheck = composeHealthcheck;
        _stopGrace = stopGrace;
    }

    public string ServiceName { get; }

    public int? ProcessId => null;

    /// <summary>Known once the container is created (the first start).</summary>
    public string? ContainerId { get; private set; }

    public string ContainerName { get; }

    public IReadOnlyDictionary<int, HostEndpoint> Endpoints { get; }

    public Task<int> Exited => _exited;

    public string LogFile { get; }

    /// <summary>The compose healthcheck run in the container, or the image's HEALTHCHECK, when there is one.</summary>
    public IHealthCheck? RuntimeHealthCheck { get; private set; }

    /// <summary>
    /// Creates the container and starts it. A container that fails to start is removed, with an error naming the
    /// service and the engine's reason; one that starts and exits at once is returned with <see cref="Exited"/>
    /// complete, as a process would be.
    /// </summary>
    public static async Task<DockerServiceInstance> RunAsync(
        IContainer container,
        IDockerClient docker,
        string serviceName,
        string containerName,
        IReadOnlyDictionary<int, HostEndpoint> endpoints,
        string logFile,
        LogFileOutput output,
        HealthcheckCommand? composeHealthcheck,
        TimeSpan stopGrace,
        CancellationToken cancellationToken)
    {
        var instance = new DockerServiceInstance(container, docker, serviceName, containerName, endpoints, logFile, output, composeHealthcheck, stopGrace);
        try
        {
            await instance.StartAsync(cancellationToken);
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_started && !_exited.IsCompleted)
        {
            return;
        }
        try
        {
            await _container.StartAsync(cancellationToken);
        }
        catch (DockerApiException e)
        {
            throw new ReplicaException($"service '{ServiceName}': container {ContainerName} did not start: {DockerErrors.EngineMessage(e)}", inner: e);
        }
        finally
        {
            // Created even when the start failed: disposing removes it then.
            ContainerId ??= CreatedId();
        }
        _started = true;
        _exited = WatchExitAsync(ContainerId!);
        if (RuntimeHealthCheck is null)
        {
            IContainerCheck? check = _composeHealthcheck;
            // Testcontainers inspected the container after starting it: its health is not None when the image has a
            // HEALTHCHECK the compose file did not disable. No inspection of our own is needed to know.
            if (check is null && _container.Health is TestcontainersHealthStatus.Starting or TestcontainersHealthStatus.Healthy or TestcontainersHealthStatus.Unhealthy)
            {
                check = new ImageHealthcheck(_docker, ContainerId!);
            }
            RuntimeHealthCheck = check is null ? null : new ContainerHealthCheck(_container, ContainerName, check);
        }
    }

    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!_started || _exited.IsCompleted)
        {
            return;
        }
        // The engine sends the image's STOPSIGNAL (SIGINT for PostgreSQL), then SIGKILL; a paused container too.
        await _docker.Containers.StopContainerAsync(ContainerId!, new ContainerStopParameters { WaitBeforeKillSeconds = Seconds(grace) }, cancellationToken);
        await SettleAsync(cancellationToken);
    }

    public async Task KillAsync(CancellationToken cancellationToken)
    {
        if (!_started || _exited.IsCompleted)
        {
            return;
        }
        try
        {
            await _docker.Containers.KillContainerAsync(ContainerId!, new ContainerKillParameters { Signal = "SIGKILL" }, cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // It exited on its own meanwhile.
        }
        await SettleAsync(cancellationToken);
    }

    /// <summary>Freezes every process of the container (cgroup freezer); connections stay open, unanswered.</summary>
    public async Task PauseAsync(CancellationToken cancellationToken)
    {
        if (_started && !_exited.IsCompleted)
        {
            await _container.PauseAsync(cancellationToken);
        }
    }

    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        if (_started && !_exited.IsCompleted)
        {
            await _container.UnpauseAsync(cancellationToken);
        }
    }

    /// <summary>After a stop or kill: the exit is seen, so that a start right after is a new run.</summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _exited.WaitAsync(SettleTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new ReplicaException(
                $"service '{ServiceName}': the engine stopped container {ContainerName}, but did not report its exit within {SettleTimeout.TotalSeconds:0} s");
        }
    }

    private async Task<int> WatchExitAsync(string id)
    {
        try
        {
            // The engine's wait condition is not-running: a container that exited before this call is reported at once.
            return (int)(await _docker.Containers.WaitContainerAsync(id, _disposing.Token)).StatusCode;
        }
        catch (Exception e) when (e is OperationCanceledException or DockerApiException or IOException or HttpRequestException)
        {
            // Disposed, removed behind our back, or the engine went away: the container is gone for us either way.
            return -1;
        }
    }

    private string? CreatedId()
    {
        try
        {
            return _container.Id is { Length: > 0 } id ? id : null;
        }
        catch (InvalidOperationException)
        {
            // Never created.
            return null;
        }
    }

    private static uint Seconds(TimeSpan value) => (uint)Math.Max(0, Math.Ceiling(value.TotalSeconds));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            if (_started && !_exited.IsCompleted)
            {
                await _docker.Containers.StopContainerAsync(ContainerId!, new ContainerStopParameters { WaitBeforeKillSeconds = Seconds(_stopGrace) }, CancellationToken.None);
                await _exited.WaitAsync(SettleTimeout);
            }
        }
        catch (Exception e) when (e is DockerApiException or TimeoutException or HttpRequestException or IOException)
        {
            // Removal below kills it anyway.
        }
        _disposing.Cancel();
        try
        {
            // Testcontainers removes it (force, with its anonymous volumes).
            await _container.DisposeAsync();
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
        {
            // The engine is gone: the container's owner labels let the next start's sweep remove it.
        }
        await _exited.ContinueWith(_ => { }, TaskScheduler.Default);
        _output.Dispose();
        _disposing.Dispose();
    }
}
