using Replica.Environments.Hosting;
using Replica.Environments.Processes;

namespace Replica.Staging.Tests;

/// <summary>
/// PostgreSQL stopped entirely: the postmaster (by the environment's pause verb) and every backend process it forked —
/// those call setsid() and so sit outside the postmaster's process group, out of reach of a group signal. Open
/// connections then stall too, not only new ones. Disposing it lets everything run again.
/// </summary>
public sealed class StalledPostgres : IAsyncDisposable
{
    private readonly RunningService _postgres;
    private readonly IReadOnlyList<int> _children;

    private StalledPostgres(RunningService postgres, IReadOnlyList<int> children)
    {
        _postgres = postgres;
        _children = children;
    }

    public static async Task<StalledPostgres> StallAsync(RunningService postgres)
    {
        var postmaster = postgres.Instance!.ProcessId!.Value;
        var children = ProcessIdentity.ParentsByPid().Where(p => p.Value == postmaster).Select(p => p.Key).ToList();
        Assert.NotEmpty(children);
        foreach (var child in children)
        {
            UnixSignal.Send(child, UnixSignal.SIGSTOP);
        }
        await postgres.PauseAsync();
        return new StalledPostgres(postgres, children);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var child in _children)
        {
            UnixSignal.Send(child, UnixSignal.SIGCONT);
        }
        await _postgres.ResumeAsync();
    }
}
