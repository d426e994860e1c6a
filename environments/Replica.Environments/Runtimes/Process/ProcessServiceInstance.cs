using Replica.Environments.HealthChecks;
using Replica.Environments.Processes;

namespace Replica.Environments.Runtimes.Process;

/// <summary>
/// A service run as a local process group. Stop, kill, pause and resume signal the whole group, so children the
/// service forks (PostgreSQL's backends) go with it. Endpoints stay the same across restarts.
/// </summary>
public sealed class ProcessServiceInstance : IServiceInstance
{
    private readonly Func<System.Diagnostics.Process> _spawn;
    private readonly int _stopSignal;
    private readonly Action<ProcessIdentity>? _started;
    private readonly Action? _afterExit;
    private System.Diagnostics.Process? _process;
    private ProcessIdentity? _identity;
    private Task<int> _exited = Task.FromResult(0);

    public ProcessServiceInstance(
        string serviceName,
        IReadOnlyDictionary<int, HostEndpoint> endpoints,
        string logFile,
        Func<System.Diagnostics.Process> spawn,
        int stopSignal,
        Action<ProcessIdentity>? started,
        Action? afterExit = null)
    {
        ServiceName = serviceName;
        Endpoints = endpoints;
        LogFile = logFile;
        _spawn = spawn;
        _stopSignal = stopSignal;
        _started = started;
        _afterExit = afterExit;
    }

    public string ServiceName { get; }

    public int? ProcessId => _identity?.Pid;

    public string? ContainerId => null;

    public IReadOnlyDictionary<int, HostEndpoint> Endpoints { get; }

    public Task<int> Exited => _exited;

    public string LogFile { get; }

    /// <summary>A process has no check of its own besides the one the environment runs from the host.</summary>
    public IHealthCheck? RuntimeHealthCheck => null;

    public ProcessIdentity? Identity => _identity;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_process is not null && !_exited.IsCompleted)
        {
            return Task.CompletedTask;
        }
        _process?.Dispose();
        var process = _spawn();
        _process = process;
        _identity = ProcessIdentity.Of(process.Id) ?? new ProcessIdentity(process.Id, 0);
        _started?.Invoke(_identity);
        _exited = WaitAsync(process, _identity, DotnetRuntimeFiles.TempDirectoryOf(process.StartInfo), _afterExit);
        return Task.CompletedTask;
    }

    private static async Task<int> WaitAsync(System.Diagnostics.Process process, ProcessIdentity identity, string tempDirectory, Action? afterExit)
    {
        await process.WaitForExitAsync();
        // A .NET service killed with SIGKILL cannot remove its runtime's pipes and socket; they go with it here, and
        // so does what the service's kind leaves elsewhere (PostgreSQL's shared memory).
        DotnetRuntimeFiles.RemoveLeftovers(identity, tempDirectory);
        afterExit?.Invoke();
        return process.ExitCode;
    }

    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        if (_identity is null || _exited.IsCompleted)
        {
            KillStragglers();
            return;
        }
        UnixSignal.SendToGroup(_identity.Pid, _stopSignal);
        // A paused service acts on the stop signal only once it runs again.
        UnixSignal.SendToGroup(_identity.Pid, UnixSignal.SIGCONT);
        if (await Task.WhenAny(_exited, Task.Delay(grace, cancellationToken)) != _exited)
        {
            UnixSignal.SendToGroup(_identity.Pid, UnixSignal.SIGKILL);
            await _exited.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        KillStragglers();
    }

    public async Task KillAsync(CancellationToken cancellationToken)
    {
        if (_identity is null || _exited.IsCompleted)
        {
            return;
        }
        UnixSignal.SendToGroup(_identity.Pid, UnixSignal.SIGKILL);
        await _exited.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        KillStragglers();
    }

    /// <summary>SIGSTOP to the group; returns once the kernel reports the service stopped.</summary>
    public Task PauseAsync(CancellationToken cancellationToken) =>
        SignalAndWaitAsync(UnixSignal.SIGSTOP, state => state == 'T', cancellationToken);

    /// <summary>SIGCONT to the group; returns once the service runs again.</summary>
    public Task ResumeAsync(CancellationToken cancellationToken) =>
        SignalAndWaitAsync(UnixSignal.SIGCONT, state => state != 'T', cancellationToken);

    private async Task SignalAndWaitAsync(int signal, Func<char, bool> reached, CancellationToken cancellationToken)
    {
        if (_identity is null || _exited.IsCompleted)
        {
            return;
        }
        UnixSignal.SendToGroup(_identity.Pid, signal);
        // Signal delivery is asynchronous: wait (briefly) until /proc shows the new state.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (ProcessIdentity.StateOf(_identity.Pid) is { } state && !reached(state) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2, cancellationToken);
        }
    }

    /// <summary>Children that outlived the group leader (e.g. PostgreSQL backends finishing a query).</summary>
    private void KillStragglers()
    {
        if (_identity is null)
        {
            return;
        }
        foreach (var member in _identity.RemainingGroupMembers())
        {
            UnixSignal.Send(member.Pid, UnixSignal.SIGKILL);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        _process?.Dispose();
    }
}
