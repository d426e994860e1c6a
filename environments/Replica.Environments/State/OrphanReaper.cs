using Replica.Environments.Processes;
using Replica.Environments.Runtimes.Process;

namespace Replica.Environments.State;

/// <summary>
/// Removes what a dead owner left behind (a `replica up` killed with SIGKILL, a crashed daemon or test run): every
/// recorded process group still alive with its recorded start time, the data directory and the state itself.
/// Resources outside this machine's process table have cleaners: <see cref="DockerLeftovers"/> (containers and
/// networks of the docker runtime) always runs, and acts only on environments that ran on it.
/// </summary>
public sealed class OrphanReaper
{
    private readonly StateStore _store;
    private readonly IReadOnlyList<Func<EnvironmentState, CancellationToken, Task>> _cleaners;

    public OrphanReaper(StateStore store, IReadOnlyList<Func<EnvironmentState, CancellationToken, Task>>? cleaners = null)
    {
        _store = store;
        _cleaners = [DockerLeftovers.RemoveAsync, .. cleaners ?? []];
    }

    /// <summary>Reaps every environment whose owner is gone; returns the names reaped.</summary>
    public async Task<IReadOnlyList<string>> ReapOrphansAsync(CancellationToken cancellationToken)
    {
        var reaped = new List<string>();
        foreach (var name in _store.Names().ToList())
        {
            var state = _store.Read(name);
            if (state is not null && !StateStore.IsOwnerAlive(state))
            {
                await ReapAsync(state, cancellationToken);
                reaped.Add(name);
            }
        }
        return reaped;
    }

    /// <summary>Reaps every environment recorded in the store, whoever owns it (a test's own store at its end).</summary>
    public async Task<IReadOnlyList<string>> ReapAllAsync(CancellationToken cancellationToken)
    {
        var reaped = new List<string>();
        foreach (var name in _store.Names().ToList())
        {
            if (await ReapAsync(name, cancellationToken))
            {
                reaped.Add(name);
            }
        }
        return reaped;
    }

    /// <summary>Reaps environment <paramref name="name"/>, whoever owns it; false when the store records no such environment.</summary>
    public async Task<bool> ReapAsync(string name, CancellationToken cancellationToken)
    {
        if (_store.Read(name) is not { } state)
        {
            return false;
        }
        await ReapAsync(state, cancellationToken);
        return true;
    }

    /// <summary>Kills and removes everything <paramref name="state"/> records, whoever owns it.</summary>
    public async Task ReapAsync(EnvironmentState state, CancellationToken cancellationToken)
    {
        // Read before the kill: a .NET service killed with SIGKILL leaves its runtime's files in its TMPDIR.
        var tempDirectories = state.Processes.Distinct().Where(p => p.IsAlive).ToDictionary(p => p, p => DotnetRuntimeFiles.TempDirectoryOf(p.Pid));
        foreach (var process in state.Processes)
        {
            Kill(process);
        }
        foreach (var cleaner in _cleaners)
        {
            await cleaner(state, cancellationToken);
        }
        await WaitGoneAsync(state.Processes, TimeSpan.FromSeconds(5));
        foreach (var (process, tempDirectory) in tempDirectories.Where(p => !p.Key.IsAlive))
        {
            DotnetRuntimeFiles.RemoveLeftovers(process, tempDirectory);
        }
        if (!state.Owner.IsAlive)
        {
            // A killed owner (`replica up` after kill -9) left its own; its TMPDIR is no longer readable, so this
            // looks where the reaping command's own runtime keeps them, as when both ran from the same shell.
            DotnetRuntimeFiles.RemoveLeftovers(state.Owner, Path.GetTempPath());
        }
        if (state.WorkDirectory is { } work && Directory.Exists(work))
        {
            // A PostgreSQL killed here left its System V segment; postmaster.pid in its data directory names it.
            foreach (var dataDirectory in Directory.EnumerateDirectories(work))
            {
                PostgresSharedMemory.RemoveLeftovers(dataDirectory);
            }
            Directory.Delete(work, recursive: true);
        }
        _store.Delete(state.Name);
    }

    /// <summary>
    /// SIGKILL to the process group the process leads, and to any member that outlived its leader; nothing when its
    /// pid now belongs to another process (see <see cref="ProcessIdentity.RemainingGroupMembers"/>).
    /// </summary>
    public static void Kill(ProcessIdentity process)
    {
        if (process.IsAlive)
        {
            UnixSignal.SendToGroup(process.Pid, UnixSignal.SIGKILL);
            UnixSignal.Send(process.Pid, UnixSignal.SIGKILL);
        }
        foreach (var member in process.RemainingGroupMembers())
        {
            UnixSignal.Send(member.Pid, UnixSignal.SIGKILL);
        }
    }

    private static async Task WaitGoneAsync(IReadOnlyList<ProcessIdentity> processes, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (processes.Any(p => p.IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
