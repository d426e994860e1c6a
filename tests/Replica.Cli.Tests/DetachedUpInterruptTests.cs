using Replica.Environments.Processes;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>Ctrl+C during `replica up --detach`: the daemon (in a session of its own) stops too, and nothing stays up.</summary>
public sealed class DetachedUpInterruptTests : IsolatedCliTest
{
    [Fact]
    public async Task Ctrl_c_while_a_detached_up_starts_stops_the_daemon_and_leaves_nothing()
    {
        await using var process = Cli.Start(["up", "--detach", "--name", "halfway"]);
        // Halfway: the daemon has recorded a first service process.
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (State.Store.Read("halfway") is not { Processes.Count: > 0 })
            {
                Assert.False(process.HasExited, $"up --detach exited early with {(process.HasExited ? process.ExitCode : 0)}");
                await Task.Delay(20, wait.Token);
            }
        }
        var state = State.Store.Read("halfway")!;
        var daemon = state.Owner;

        ProcessTable.AssertSigintReaches(process.Id);
        process.Signal(UnixSignal.SIGINT);

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 130, $"exit {exitCode}\n{process.StandardOutput}\n{process.StandardError}");
        Assert.False(daemon.IsAlive, "the daemon kept bringing the environment up");
        var recorded = (State.Store.Read("halfway")?.Processes ?? []).Concat(state.Processes);
        Assert.All(recorded, p => Assert.False(p.IsAlive, $"pid {p.Pid} survived"));
        Assert.Empty(State.Store.Names());
    }
}
