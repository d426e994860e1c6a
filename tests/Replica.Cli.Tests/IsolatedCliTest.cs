using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// A test class that drives the real `replica` CLI against a state directory of its own: <see cref="State"/> (what
/// its environments record), <see cref="Out"/> (a scratch directory for the files a test writes and the reports it
/// reads) and <see cref="Cli"/>, a runner against that state. xUnit makes one instance per test, so every test starts
/// from nothing. Disposing ends any CLI still running, then reaps what an environment recorded (also after a failed
/// test), then removes both directories.
/// </summary>
public abstract class IsolatedCliTest : IAsyncLifetime
{
    protected IsolatedCliTest(string scratchPrefix = "replica-cli-test-")
    {
        Out = new ScratchDirectory(scratchPrefix);
        Cli = new CliRunner(State.Root);
    }

    protected IsolatedStateStore State { get; } = new();

    protected ScratchDirectory Out { get; }

    protected CliRunner Cli { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Cli.Dispose();
        await State.DisposeAsync();
        Out.Dispose();
    }
}
