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
        var children = ChildrenOf(postmaster);
        Assert.NotEmpty(children);
        foreach (var child in children)
        {
            UnixSignal.Send(child, UnixSignal.SIGSTOP);
        }
        await postgres.PauseAsync();
        return new StalledPostgres(postgres, children);
    }

    private static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == parent)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }
        return children;
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
