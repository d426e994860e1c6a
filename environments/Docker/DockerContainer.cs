using System.Diagnostics;
using Replica.Environments.Errors;

namespace Replica.Environments.Docker;

/// <summary>
/// A container started from a <see cref="ContainerSpec"/>: the "start service" primitive a runtime builds on.
/// <see cref="RunAsync"/> creates it, joins its networks, starts it and waits until it runs with every port
/// published; the verbs (stop, start, kill, pause, unpause, restart) re-read the ports, because a stopped and
/// started container gets new ones. Disposing removes the container.
/// </summary>
public sealed class DockerContainer : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a started container may take to show as running with its ports published.</summary>
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(30);

    private readonly DockerClient _docker;

    private DockerContainer(DockerClient docker, ContainerSpec spec, ContainerInfo info)
    {
        _docker = docker;
        Spec = spec;
        Info = info;
    }

    public ContainerSpec Spec { get; }

    /// <summary>What the engine said the last time a verb or <see cref="RefreshAsync"/> asked.</summary>
    public ContainerInfo Info { get; private set; }

    public string Id => Info.Id;

    public string Name => Info.Name;

    /// <summary>
    /// Creates and starts a container, and returns once it runs with every port in <paramref name="spec"/>
    /// published on 127.0.0.1. A container that exits first is an error quoting its exit code and last output;
    /// whatever fails, nothing is left behind.
    /// </summary>
    public static async Task<DockerContainer> RunAsync(
        DockerClient docker,
        ContainerSpec spec,
        TimeSpan? startTimeout = null,
        CancellationToken cancellationToken = default)
    {
        var id = await docker.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
        try
        {
            await docker.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
            var info = await WaitUntilPublishedAsync(docker, spec, id, startTimeout ?? DefaultStartTimeout, cancellationToken)
                .ConfigureAwait(false);
            return new DockerContainer(docker, spec, info);
        }
        catch
        {
            await docker.RemoveContainerAsync(id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The 127.0.0.1 host port that forwards to <paramref name="containerPort"/>.</summary>
    public int HostPort(int containerPort) =>
        Info.HostPorts.TryGetValue(containerPort, out var hostPort)
            ? hostPort
            : throw new ReplicaException(
                $"container {Name} ({Spec.Image}) publishes no host port for {containerPort}/tcp (it is {Info.Status.ToString().ToLowerInvariant()})");

    public async Task<ContainerInfo> RefreshAsync(CancellationToken cancellationToken = default) =>
        Info = await _docker.InspectContainerAsync(Id, cancellationToken).ConfigureAwait(false);

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        await _docker.StopContainerAsync(Id, grace, cancellationToken).ConfigureAwait(false);
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a stopped container again; its host ports are new afterwards.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _docker.StartContainerAsync(Id, cancellationToken).ConfigureAwait(false);
        Info = await WaitUntilPublishedAsync(_docker, Spec, Id, DefaultStartTimeout, cancellationToken).ConfigureAwait(false);
    }

    public async Task KillAsync(string signal = "SIGKILL", CancellationToken cancellationToken = default)
    {
        await _docker.KillContainerAsync(Id, signal, cancellationToken).ConfigureAwait(false);
        if (signal is "SIGKILL" or "KILL" or "9")
        {
            // The engine answers before the process is reaped; wait so that Info says exited.
            await _docker.WaitContainerAsync(Id, "not-running", cancellationToken).ConfigureAwait(false);
        }

        await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Freezes every process of the container; connections stay open and unanswered.</summary>
    public async Task PauseAsync(CancellationToken cancellationToken = default)
    {
        await _docker.PauseContainerAsync(Id, cancellationToken).ConfigureAwait(false);
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task UnpauseAsync(CancellationToken cancellationToken = default)
    {
        await _docker.UnpauseContainerAsync(Id, cancellationToken).ConfigureAwait(false);
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RestartAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        await _docker.RestartContainerAsync(Id, grace, cancellationToken).ConfigureAwait(false);
        Info = await WaitUntilPublishedAsync(_docker, Spec, Id, DefaultStartTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Blocks until the container is no longer running; returns its exit code.</summary>
    public async Task<long> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        var exitCode = await _docker.WaitContainerAsync(Id, "not-running", cancellationToken).ConfigureAwait(false);
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        return exitCode;
    }

    /// <summary>
    /// Waits until the container's healthcheck says healthy. An exit, or no healthy answer within
    /// <paramref name="timeout"/>, is an error quoting the last check's output.
    /// </summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var info = await RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (info.Health is null)
            {
                throw new ReplicaException($"container {Name} ({Spec.Image}) has no healthcheck to wait for", exitCode: 2);
            }

            if (info.Health.IsHealthy)
            {
                return;
            }

            if (info.Status is ContainerStatus.Exited or ContainerStatus.Dead)
            {
                throw await NotRunningAsync(_docker, Spec, info, cancellationToken).ConfigureAwait(false);
            }

            if (clock.Elapsed >= timeout)
            {
                throw new ReplicaException(
                    $"container {Name} ({Spec.Image}) was not healthy within {timeout.TotalSeconds:0.#} s; "
                    + $"health is {info.Health.Status}, last check said: {info.Health.LastOutput ?? "(nothing yet)"}");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<ContainerLogs> GetLogsAsync(CancellationToken cancellationToken = default) =>
        _docker.GetLogsAsync(Id, cancellationToken);

    /// <summary>The output as it comes, until the container stops or the token fires.</summary>
    public IAsyncEnumerable<LogFrame> FollowLogsAsync(DateTimeOffset? since = null, CancellationToken cancellationToken = default) =>
        _docker.ReadLogsAsync(Id, follow: true, since, cancellationToken);

    /// <summary>Removes the container. An engine that is gone by now leaves it to the next sweep.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _docker.RemoveContainerAsync(Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ReplicaException)
        {
            // Its owner labels name this process; DockerSweeper removes it once this process is gone.
        }
    }

    private static async Task<ContainerInfo> WaitUntilPublishedAsync(
        DockerClient docker,
        ContainerSpec spec,
        string id,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        // Port bindings show in inspect only a little after start; poll until all are there.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var info = await docker.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
            if (info.Status is ContainerStatus.Exited or ContainerStatus.Dead)
            {
                throw await NotRunningAsync(docker, spec, info, cancellationToken).ConfigureAwait(false);
            }

            if (info.Status == ContainerStatus.Running && spec.Ports.All(info.HostPorts.ContainsKey))
            {
                return info;
            }

            if (clock.Elapsed >= timeout)
            {
                var missing = string.Join(", ", spec.Ports.Where(p => !info.HostPorts.ContainsKey(p)));
                throw new ReplicaException(
                    $"container {info.Name} ({spec.Image}) is {info.Status.ToString().ToLowerInvariant()} after {timeout.TotalSeconds:0} s"
                    + (missing.Length > 0 ? $" and publishes no host port for {missing}" : ""));
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<ReplicaException> NotRunningAsync(
        DockerClient docker,
        ContainerSpec spec,
        ContainerInfo info,
        CancellationToken cancellationToken)
    {
        var logs = await docker.GetLogsAsync(info.Id, cancellationToken).ConfigureAwait(false);
        var tail = string.Join(Environment.NewLine + "  ", (logs.Stdout + logs.Stderr)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeLast(15));
        return new ReplicaException(
            $"container {info.Name} ({spec.Image}) exited with code {info.ExitCode}"
            + (info.Error is null ? "" : $" ({info.Error})")
            + (tail.Length == 0 ? "; it printed nothing" : $"; its last output:{Environment.NewLine}  {tail}"));
    }
}
