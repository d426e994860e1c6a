using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Replica.Environments.Docker;
using Replica.Environments.Errors;
using Replica.Environments.Readiness;

namespace Replica.Environments.Runtimes.Docker;

/// <summary>
/// A service run as a container. The verbs are the engine's (start, stop, kill, pause, unpause); the host ports were
/// fixed when the container was created, so its endpoints stay the same across stop and start. The container's
/// output is followed into the log file run after run, each line once. Disposing stops the container (its stop
/// signal, then SIGKILL after the grace) and removes it.
/// </summary>
public sealed class DockerServiceInstance : IServiceInstance
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(10);

    private readonly DockerClient _docker;
    private readonly TimeSpan _stopGrace;
    private readonly CancellationTokenSource _disposing = new();
    private Task<int> _exited = Task.FromResult(0);
    private Task _logs = Task.CompletedTask;
    private DateTimeOffset? _logsResumeAt;
    private bool _started;
    private int _disposed;

    private DockerServiceInstance(
        DockerClient docker,
        string serviceName,
        string containerId,
        string containerName,
        IReadOnlyDictionary<int, HostEndpoint> endpoints,
        string logFile,
        TimeSpan stopGrace)
    {
        _docker = docker;
        ServiceName = serviceName;
        ContainerId = containerId;
        ContainerName = containerName;
        Endpoints = endpoints;
        LogFile = logFile;
        _stopGrace = stopGrace;
    }

    public string ServiceName { get; }

    public int? ProcessId => null;

    public string ContainerId { get; }

    public string ContainerName { get; }

    public IReadOnlyDictionary<int, HostEndpoint> Endpoints { get; }

    public Task<int> Exited => _exited;

    public string LogFile { get; }

    /// <summary>The container's HEALTHCHECK (the image's, or the compose healthcheck), when it has one.</summary>
    public IHealthProbe? RuntimeHealthCheck { get; private set; }

    /// <summary>
    /// Creates the container from <paramref name="spec"/> and starts it. A container that fails to start is removed;
    /// one that starts and exits at once is returned with <see cref="Exited"/> complete, as a process would be.
    /// </summary>
    public static async Task<DockerServiceInstance> RunAsync(
        DockerClient docker,
        string serviceName,
        ContainerSpec spec,
        IReadOnlyDictionary<int, HostEndpoint> endpoints,
        string logFile,
        TimeSpan stopGrace,
        CancellationToken cancellationToken)
    {
        var id = await docker.CreateContainerAsync(spec, cancellationToken);
        var instance = new DockerServiceInstance(docker, serviceName, id, spec.Name ?? id[..12], endpoints, logFile, stopGrace);
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
        // The previous run's output must be all in the file before the next run's is followed from where it ended.
        try
        {
            await _logs.WaitAsync(SettleTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The engine is slow to end the old stream: start anyway; a line of the old run may be written twice.
        }
        await _docker.StartContainerAsync(ContainerId, cancellationToken);
        _started = true;
        var info = await WaitUntilRunningAsync(cancellationToken);
        _exited = WatchExitAsync();
        _logs = FollowLogsAsync(_logsResumeAt);
        if (info.Health is not null)
        {
            RuntimeHealthCheck ??= new ContainerHealthProbe(_docker, ContainerId, ContainerName);
        }
    }

    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!_started || _exited.IsCompleted)
        {
            return;
        }
        // The engine sends the image's STOPSIGNAL (SIGINT for PostgreSQL), then SIGKILL; a paused container too.
        await _docker.StopContainerAsync(ContainerId, grace, cancellationToken);
        await SettleAsync(cancellationToken);
    }

    public async Task KillAsync(CancellationToken cancellationToken)
    {
        if (!_started || _exited.IsCompleted)
        {
            return;
        }
        await _docker.KillContainerAsync(ContainerId, "SIGKILL", cancellationToken);
        await SettleAsync(cancellationToken);
    }

    /// <summary>Freezes every process of the container (cgroup freezer); connections stay open, unanswered.</summary>
    public async Task PauseAsync(CancellationToken cancellationToken)
    {
        if (_started && !_exited.IsCompleted)
        {
            await _docker.PauseContainerAsync(ContainerId, cancellationToken);
        }
    }

    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        if (_started && !_exited.IsCompleted)
        {
            await _docker.UnpauseContainerAsync(ContainerId, cancellationToken);
        }
    }

    /// <summary>After a stop or kill: the exit is seen and the output written, so that a start right after is clean.</summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _exited.WaitAsync(SettleTimeout, cancellationToken);
            await _logs.WaitAsync(SettleTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new ReplicaException(
                $"service '{ServiceName}': the engine stopped container {ContainerName}, but did not report its exit and end its output within {SettleTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Until the container runs with every port published, or has exited (which <see cref="Exited"/> then reports).</summary>
    private async Task<ContainerInfo> WaitUntilRunningAsync(CancellationToken cancellationToken)
    {
        // Port bindings show in inspect a little after start.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var info = await _docker.InspectContainerAsync(ContainerId, cancellationToken);
            if (info.Status is ContainerStatus.Exited or ContainerStatus.Dead
                || (info.Status is ContainerStatus.Running or ContainerStatus.Paused && Endpoints.Keys.All(info.HostPorts.ContainsKey)))
            {
                return info;
            }
            if (clock.Elapsed >= PublishTimeout)
            {
                throw new ReplicaException(
                    $"service '{ServiceName}': container {ContainerName} is {info.Status.ToString().ToLowerInvariant()} {PublishTimeout.TotalSeconds:0} s after start"
                    + $" and publishes {info.HostPorts.Count} of its {Endpoints.Count} ports");
            }
            await Task.Delay(25, cancellationToken);
        }
    }

    private async Task<int> WatchExitAsync()
    {
        try
        {
            // not-running, not next-exit: a container that exited before this call is reported at once.
            return (int)await _docker.WaitContainerAsync(ContainerId, "not-running", _disposing.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ReplicaException or IOException or HttpRequestException or JsonException)
        {
            // Disposed, removed behind our back, or the engine went away: the container is gone for us either way.
            return -1;
        }
    }

    /// <summary>
    /// Appends the container's output from <paramref name="since"/> (null: from its creation) until it stops. The next
    /// run resumes from the moment this one's output ended, so a restart repeats no line and loses none.
    /// </summary>
    private async Task FollowLogsAsync(DateTimeOffset? since)
    {
        await Task.Yield();
        try
        {
            await using var file = new FileStream(LogFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            await foreach (var frame in _docker.ReadLogsAsync(ContainerId, follow: true, since, _disposing.Token))
            {
                await file.WriteAsync(frame.Payload, _disposing.Token);
                await file.FlushAsync(_disposing.Token);
            }
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is ReplicaException or IOException or HttpRequestException)
        {
            try
            {
                await File.AppendAllTextAsync(LogFile, $"[replica] the engine stopped sending the output of {ContainerName}: {e.Message}{System.Environment.NewLine}", Encoding.UTF8);
            }
            catch (IOException)
            {
                // The log directory went with the environment.
            }
        }
        finally
        {
            _logsResumeAt = DateTimeOffset.UtcNow;
        }
    }

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
                await _docker.StopContainerAsync(ContainerId, _stopGrace, CancellationToken.None);
                await _logs.WaitAsync(SettleTimeout);
            }
        }
        catch (Exception e) when (e is ReplicaException or TimeoutException)
        {
            // Removal below kills it anyway.
        }
        _disposing.Cancel();
        try
        {
            await _docker.RemoveContainerAsync(ContainerId, CancellationToken.None);
        }
        catch (ReplicaException)
        {
            // The engine is gone: the container's owner labels let the next start's sweep remove it.
        }
        await Task.WhenAll(_logs, _exited).WaitAsync(SettleTimeout).ContinueWith(_ => { }, TaskScheduler.Default);
        _disposing.Dispose();
    }
}
