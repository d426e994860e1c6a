using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Environments.HealthChecks;
using Replica.Environments.Runtimes;

namespace Replica.Environments.Hosting;

/// <summary>
/// One service of a running environment, with the lifecycle verbs scenarios use (start, stop, restart, kill, pause,
/// resume). Endpoints stay the same across restarts wherever the runtime can keep them.
/// </summary>
public sealed class RunningService
{
    private readonly RunningEnvironment _environment;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private bool _stopRequested;
    private volatile bool _settingsChanged;

    internal RunningService(RunningEnvironment environment, ServiceDefinition definition)
    {
        _environment = environment;
        Definition = definition;
        _started.Task.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        _ready.Task.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }

    public string Name => Definition.Name;

    public ServiceDefinition Definition { get; }

    public ServiceStatus Status { get; private set; } = ServiceStatus.Pending;

    public IServiceInstance? Instance { get; private set; }

    public IReadOnlyDictionary<int, HostEndpoint> Endpoints => Instance?.Endpoints ?? new Dictionary<int, HostEndpoint>();

    /// <summary>The endpoint of the first declared port, as clients on this machine reach it.</summary>
    public HostEndpoint? Endpoint => Definition.PrimaryPort is { } p && Endpoints.TryGetValue(p, out var e) ? e : null;

    public HealthCheckResult? LastHealthCheck { get; private set; }

    /// <summary>Completes the first time the service is started (faults if it cannot be).</summary>
    public Task Started => _started.Task;

    /// <summary>Completes the first time the service is ready: healthy, or just started when it has no health check.</summary>
    public Task Ready => _ready.Task;

    public IReadOnlyList<string> TailLog(int lines) => Instance is null ? [] : LogTail.Read(Instance.LogFile, lines);

    /// <summary>Starts a deferred or stopped service (after its dependencies meet their conditions) and waits until it is ready.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => StartAsync(waitUntilReady: true, cancellationToken);

    /// <summary>
    /// Starts a deferred or stopped service; with <paramref name="waitUntilReady"/> false it returns once the process or
    /// container runs — for a service whose health is itself what is being watched.
    /// </summary>
    public async Task StartAsync(bool waitUntilReady, CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            await StartCoreAsync(cancellationToken);
        }
        finally
        {
            _lifecycle.Release();
        }
        if (waitUntilReady)
        {
            await WaitReadyAsync(cancellationToken);
        }
    }

    internal async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            _stopRequested = false;
            if (Instance is not null && _settingsChanged && Instance.Exited.IsCompleted)
            {
                // New settings need a new launch (the runtime bakes the environment into the process or container);
                // a plain restart keeps the instance, and with it a database's data.
                await Instance.DisposeAsync();
                Instance = null;
            }
            if (Instance is null)
            {
                _settingsChanged = false;
                Instance = await _environment.LaunchAsync(this, cancellationToken);
            }
            else
            {
                _environment.Emit(Name, EnvironmentEventKind.Starting, "starting");
                await Instance.StartAsync(cancellationToken);
            }
            Status = ServiceStatus.Starting;
            _environment.Emit(Name, EnvironmentEventKind.Started, $"started{Describe()}");
            _environment.RecordService(this);
            WatchExit(Instance);
            _started.TrySetResult();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _started.TrySetException(ex);
            _ready.TrySetException(ex);
            throw;
        }
    }

    private string Describe() => Instance switch
    {
        { ProcessId: { } pid } => $" (pid {pid}{EndpointText()})",
        { ContainerId: { } id } => $" (container {id[..Math.Min(12, id.Length)]}{EndpointText()})",
        _ => "",
    };

    private string EndpointText() => Endpoint is { } e ? $", {e}" : "";

    private void WatchExit(IServiceInstance instance)
    {
        var exited = instance.Exited;
        _ = exited.ContinueWith(t =>
        {
            if (_stopRequested || instance.Exited != exited)
            {
                return;
            }
            Status = ServiceStatus.Exited;
            _environment.Emit(Name, EnvironmentEventKind.Exited, $"exited with code {t.Result}");
            _environment.RecordService(this);
        }, TaskScheduler.Default);
    }

    /// <summary>Waits until the health check passes (or the service has none), failing fast if the service exits.</summary>
    public async Task WaitReadyAsync(CancellationToken cancellationToken = default)
    {
        var instance = Instance ?? throw new InvalidOperationException($"service '{Name}' was never started");
        var check = HealthCheckFactory.Create(Definition, instance);
        if (check is null)
        {
            Status = ServiceStatus.Healthy;
            _ready.TrySetResult();
            return;
        }
        var timeout = Definition.Replica.StartTimeout;
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(25);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (instance.Exited.IsCompleted)
            {
                Fail($"service '{Name}' exited with code {instance.Exited.Result} before it was healthy", check);
            }
            LastHealthCheck = await check.CheckAsync(cancellationToken);
            if (LastHealthCheck.Healthy)
            {
                Status = ServiceStatus.Healthy;
                _environment.Emit(Name, EnvironmentEventKind.Healthy, $"healthy ({check.Description})");
                _environment.RecordService(this);
                _ready.TrySetResult();
                return;
            }
            if (DateTime.UtcNow >= deadline)
            {
                Status = ServiceStatus.Unhealthy;
                _environment.RecordService(this);
                Fail($"service '{Name}' did not become healthy within {timeout.TotalSeconds:0.#} s", check);
            }
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(250, delay.TotalMilliseconds * 1.5));
        }
    }

    private void Fail(string headline, IHealthCheck check)
    {
        var logFile = Instance?.LogFile ?? "";
        var lines = TailLog(15);
        var message = $"{headline}{System.Environment.NewLine}" +
                      $"  last check: {check.Description} → {LastHealthCheck?.Detail ?? "not run"}{System.Environment.NewLine}" +
                      $"  last log lines ({logFile}):{System.Environment.NewLine}" +
                      (lines.Count == 0 ? "    (empty)" : string.Join(System.Environment.NewLine, lines.Select(l => "    " + l)));
        _environment.Emit(Name, EnvironmentEventKind.Unhealthy, headline);
        var error = new ReplicaException(message);
        _ready.TrySetException(error);
        throw error;
    }

    public async Task StopAsync(CancellationToken cancellationToken = default) => await StopAsync(TimeSpan.FromSeconds(10), cancellationToken);

    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (Instance is null)
            {
                return;
            }
            _stopRequested = true;
            _environment.Emit(Name, EnvironmentEventKind.Stopping, "stopping");
            await Instance.StopAsync(grace, cancellationToken);
            Status = ServiceStatus.Stopped;
            _environment.Emit(Name, EnvironmentEventKind.Stopped, "stopped");
            _environment.RecordService(this);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stop then start, waiting until healthy again (or only until started, with <paramref name="waitUntilReady"/> false).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default) => await RestartAsync(waitUntilReady: true, cancellationToken);

    public async Task RestartAsync(bool waitUntilReady, CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartAsync(waitUntilReady, cancellationToken);
    }

    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (Instance is null)
            {
                return;
            }
            _stopRequested = true;
            await Instance.KillAsync(cancellationToken);
            Status = ServiceStatus.Stopped;
            _environment.Emit(Name, EnvironmentEventKind.Killed, "killed (SIGKILL)");
            _environment.RecordService(this);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async Task PauseAsync(CancellationToken cancellationToken = default)
    {
        if (Instance is null)
        {
            return;
        }
        await Instance.PauseAsync(cancellationToken);
        Status = ServiceStatus.Paused;
        _environment.Emit(Name, EnvironmentEventKind.Paused, "paused");
        _environment.RecordService(this);
    }

    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        if (Instance is null)
        {
            return;
        }
        await Instance.ResumeAsync(cancellationToken);
        Status = ServiceStatus.Healthy;
        _environment.Emit(Name, EnvironmentEventKind.Resumed, "resumed");
        _environment.RecordService(this);
    }

    /// <summary>Its settings were changed: the next start launches it afresh with them.</summary>
    internal void MarkSettingsChanged() => _settingsChanged = true;

    internal async Task DisposeInstanceAsync()
    {
        _stopRequested = true;
        if (Instance is not null)
        {
            await Instance.DisposeAsync();
            Status = ServiceStatus.Stopped;
        }
        _started.TrySetCanceled();
        _ready.TrySetCanceled();
    }
}
