using Replica.Environments.Processes;
using Replica.Environments.State;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// A parallel `replica verify` (two copies of the environment) stopped halfway: killed with SIGKILL, then reaped by the
/// next command; one Ctrl+C, torn down within the usual bound; a second Ctrl+C, every service killed. Exit 130 on Ctrl+C.
/// </summary>
public sealed class VerifyInterruptCliTests : IsolatedCliTest
{
    /// <summary>A parallel verify (the default K on this machine) killed with SIGKILL: the next `down` reaps every copy.</summary>
    [Fact]
    public async Task Killing_verify_mid_run_leaves_nothing_once_the_next_command_reaps()
    {
        var process = await StartParallelVerifyAsync();
        var states = RecordedStates();
        Assert.Equal(["verify-r2-websocket-1011-redis-late-1", "verify-r2-websocket-1011-redis-late-2"], states.Select(s => s.Name).Order());
        // A copy restarts its backend between two runs, so at the first progress line one may be between two backends
        // (7 alive, seen on main too): wait until both copies run their 4 services, read afresh from their state.
        List<ProcessIdentity> processes = [];
        await Eventually.WaitAsync(
            () =>
            {
                states = states.Select(s => State.Store.Read(s.Name)).OfType<EnvironmentState>().ToList();
                processes = states.SelectMany(s => s.Processes).Where(p => p.IsAlive).ToList();
                return processes.Count >= 8;
            },
            TimeSpan.FromSeconds(30), () => $"each copy runs its own 4 services; alive: {processes.Count}");

        process.Signal(UnixSignal.SIGKILL);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        var down = await Cli.RunAsync(["down", "--name", states[0].Name]);
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.All(processes, p => Assert.False(p.IsAlive, $"pid {p.Pid} survived"));
        Assert.Empty(State.Store.Names());
        Assert.All(states, s => Assert.False(Directory.Exists(s.WorkDirectory), $"{s.WorkDirectory} is left"));
    }

    /// <summary>Ctrl+C during a parallel verify: every copy is torn down within the usual bound, exit 130.</summary>
    [Fact]
    public async Task Ctrl_c_during_a_parallel_verify_stops_every_copy_and_exits_130()
    {
        await using var process = await StartParallelVerifyAsync();
        var states = RecordedStates();
        Assert.Equal(2, states.Count);
        var processes = states.SelectMany(s => s.Processes).Where(p => p.IsAlive).ToList();

        ProcessTable.AssertSigintReaches(process.Id);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        process.Signal(UnixSignal.SIGINT);

        Assert.Equal(130, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.All(processes, p => Assert.False(p.IsAlive, $"pid {p.Pid} survived Ctrl+C"));
        Assert.Empty(State.Store.Names());
    }

    [Fact]
    public async Task A_second_ctrl_c_during_verify_kills_every_service_and_exits_130()
    {
        await using var process = await StartParallelVerifyAsync();
        var states = RecordedStates();
        Assert.Equal(2, states.Count);
        var processes = states.SelectMany(s => s.Processes).Where(p => p.IsAlive).ToList();
        Assert.NotEmpty(processes);

        ProcessTable.AssertSigintReaches(process.Id);
        process.Signal(UnixSignal.SIGINT);
        // The second Ctrl+C only once the first was taken (two pending SIGINTs are one), long before teardown ends.
        await UntilNoSigintPendingAsync(process.Id);
        process.Signal(UnixSignal.SIGINT);

        Assert.Equal(130, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.All(processes, p => Assert.False(p.IsAlive, $"pid {p.Pid} survived a second Ctrl+C"));
    }

    /// <summary>Starts `verify r2` on two copies and returns once the first run's progress line is printed.</summary>
    private async Task<ChildProcess> StartParallelVerifyAsync()
    {
        var process = Cli.Start(["verify", "r2", "--runs", "20", "--parallel", "2"]);
        await process.WaitForLineAsync(line => line.Contains("/20 ", StringComparison.Ordinal), TimeSpan.FromMinutes(2), "the first run's progress line");
        return process;
    }

    /// <summary>The environments the copies recorded (their state as of now).</summary>
    private List<EnvironmentState> RecordedStates() => State.Store.Names().Select(State.Store.Read).OfType<EnvironmentState>().ToList();

    private static async Task UntilNoSigintPendingAsync(int pid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var pending = File.ReadLines($"/proc/{pid}/status")
                .Where(l => l.StartsWith("ShdPnd:", StringComparison.Ordinal) || l.StartsWith("SigPnd:", StringComparison.Ordinal))
                .Select(l => Convert.ToUInt64(l[7..].Trim(), 16))
                .Aggregate(0UL, (a, b) => a | b);
            if ((pending & (1UL << (UnixSignal.SIGINT - 1))) == 0)
            {
                return;
            }
            await Task.Delay(5);
        }
        Assert.Fail($"pid {pid} did not take SIGINT within 10 s");
    }
}
