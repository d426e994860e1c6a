using Replica.Environments.Processes;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>Ctrl+C during `replica up --detach`: the daemon (in a session of its own) stops too, and nothing stays up.</summary>
public sealed class DetachedUpInterruptTests : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();
    private readonly CliRunner _cli;

    public DetachedUpInterruptTests() => _cli = new CliRunner(_state.Root);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _cli.Dispose();
        await _state.DisposeAsync();
    }

    [Fact]
    public async Task Ctrl_c_while_a_detached_up_starts_stops_the_daemon_and_leaves_nothing()
    {
        await using var process = _cli.Start(["up", "--detach", "--name", "halfway"]);
        // Halfway: the daemon has recorded a first service process.
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (_state.Store.Read("halfway") is not { Processes.Count: > 0 })
            {
                Assert.False(process.HasExited, $"up --detach exited early with {(process.HasExited ? process.ExitCode : 0)}");
                await Task.Delay(20, wait.Token);
            }
        }
        var state = _state.Store.Read("halfway")!;
        var daemon = state.Owner;

        ProcessTable.AssertSigintReaches(process.Id);
        process.Signal(UnixSignal.SIGINT);

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 130, $"exit {exitCode}\n{process.StandardOutput}\n{process.StandardError}");
        Assert.False(daemon.IsAlive, "the daemon kept bringing the environment up");
        var recorded = (_state.Store.Read("halfway")?.Processes ?? []).Concat(state.Processes);
        Assert.All(recorded, p => Assert.False(p.IsAlive, $"pid {p.Pid} survived"));
        Assert.Empty(_state.Store.Names());
    }
}
