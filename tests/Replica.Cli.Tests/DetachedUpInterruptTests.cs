using Replica.Environments.Processes;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>Ctrl+C during `replica up --detach`: the daemon (in a session of its own) stops too, and nothing stays up.</summary>
public sealed class DetachedUpInterruptTests : IsolatedCliTest
{
    [Fact]
    public async Task Ctrl_c_while_a_detached_up_starts_stops_the_daemon_and_leaves_nothing()
    {
        // Halfway, and held there: redis is up and recorded, the api never answers its health check (a minute of
        // grace), so Ctrl+C always lands while the daemon is still bringing the environment up.
        var compose = Out.Write("compose.yaml", """
            services:
              redis:
                image: redis:7
                ports: ["6379"]
              api:
                image: api
                ports: ["8000"]
                depends_on: { redis: { condition: service_healthy } }
                x-replica:
                  command: ["sleep", "600"]
                  health: { http: /ready }
                  start_timeout: 60s
            """);
        await using var process = Cli.Start(["up", "--detach", "--name", "halfway", "-f", compose]);
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (State.Store.Read("halfway") is not { Processes.Count: > 1 })
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
