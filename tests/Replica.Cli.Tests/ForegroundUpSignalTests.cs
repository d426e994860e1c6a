using Replica.Environments.Processes;
using Replica.Environments.Runtimes.Process;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// A foreground `replica up` ended from outside: SIGKILL leaves orphans that the next `down` or `up` reaps; Ctrl+C
/// tears everything down and exits 130.
/// </summary>
public sealed class ForegroundUpSignalTests : IsolatedCliTest
{
    [Fact]
    public async Task Kill_9_of_a_foreground_up_leaves_orphans_that_the_next_down_reaps()
    {
        var process = await Cli.StartUntilAsync(["up", "--name", "killed"], "Following logs", TimeSpan.FromSeconds(90));
        var state = State.Store.Read("killed")!;
        var pids = state.Services.Values.Select(s => s.Process!.Pid).ToList();
        Assert.Equal(4, pids.Count);
        // The two .NET services' runtime files, which SIGKILL leaves behind: their diagnostic sockets (they run as
        // native executables, which have no debugger pipes).
        var runtimeFiles = DotnetRuntimeFilesOf(pids);
        Assert.Equal(2, runtimeFiles.Count);
        // And the CLI's own, which the reaping `down` (same TMPDIR) removes once it finds the owner dead: its diagnostic
        // socket and debugger pipes when it runs as an assembly; as a native executable (no event source) it has none.
        var cliFiles = DotnetRuntimeFilesOf([process.Id]);
        Assert.Equal(RepositoryPaths.CliCommand() is [_] ? 0 : 3, cliFiles.Count);
        runtimeFiles.AddRange(cliFiles);

        process.Signal(UnixSignal.SIGKILL);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.All(pids, pid => Assert.True(ProcessTable.Alive(pid), "services outlive a SIGKILLed CLI until reaped"));

        var down = await Cli.RunAsync(["down", "--name", "killed"]);
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Contains("had lost its owner", down.StandardOutput);
        Assert.All(pids, pid => Assert.False(ProcessTable.Alive(pid), $"orphan pid {pid} was not reaped"));
        Assert.False(Directory.Exists(state.WorkDirectory));
        Assert.All(runtimeFiles, path => Assert.False(Path.Exists(path), $"{path} outlived its reaped or killed process"));
    }

    [Fact]
    public async Task The_next_up_also_reaps_orphans_of_a_killed_run()
    {
        var process = await Cli.StartUntilAsync(["up", "--name", "crashed"], "Following logs", TimeSpan.FromSeconds(90));
        var crashed = State.Store.Read("crashed")!;
        var orphans = crashed.Services.Values.Select(s => s.Process!.Pid).ToList();
        // The orphaned PostgreSQL's System V segment, which its killing leaves behind unless the reaper removes it.
        var segment = PostgresSharedMemory.RecordedSegment(Path.Combine(crashed.WorkDirectory!, "postgres"));
        Assert.NotNull(segment);
        process.Signal(UnixSignal.SIGKILL);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        var up = await Cli.RunAsync(["up", "--detach", "--name", "crashed"]);
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.All(orphans, pid => Assert.False(ProcessTable.Alive(pid), $"orphan pid {pid} was not reaped by up"));
        Assert.False(PostgresSharedMemory.SegmentExists(segment.Value.Key, segment.Value.Id), $"the orphan's segment {segment.Value.Id} was not removed");
        Assert.True((await Cli.RunAsync(["down", "--name", "crashed"])).ExitCode == 0);
    }

    [Fact]
    public async Task Ctrl_c_on_a_foreground_up_tears_everything_down()
    {
        var process = await Cli.StartUntilAsync(["up", "--name", "interrupted"], "Following logs", TimeSpan.FromSeconds(90));
        var state = State.Store.Read("interrupted")!;
        var pids = state.Services.Values.Select(s => s.Process!.Pid).ToList();

        ProcessTable.AssertSigintReaches(process.Id);
        process.Signal(UnixSignal.SIGINT);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("Environment 'interrupted' is down", process.StandardOutput);
        Assert.All(pids, pid => Assert.False(ProcessTable.Alive(pid)));
        Assert.False(Directory.Exists(state.WorkDirectory));
        Assert.Empty(State.Store.Names());
    }

    /// <summary>The runtime files that exist now for these processes, in each one's TMPDIR.</summary>
    private static List<string> DotnetRuntimeFilesOf(IEnumerable<int> pids) =>
        pids.SelectMany(pid => DotnetRuntimeFiles.PathsOf(ProcessIdentity.Of(pid)!, DotnetRuntimeFiles.TempDirectoryOf(pid))).Where(Path.Exists).ToList();
}
