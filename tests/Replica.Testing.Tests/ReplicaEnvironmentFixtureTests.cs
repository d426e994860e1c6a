using System.Diagnostics;
using Replica.Environments.Processes;
using Replica.Environments.State;
using Replica.Testing;
using Replica.Tests.Support;

namespace Replica.Testing.Tests;

/// <summary>The xUnit fixture reaps what a crashed test run left, and leaves nothing of its own.</summary>
public sealed class ReplicaEnvironmentFixtureTests : IDisposable
{
    private readonly ScratchDirectory _dir = new("replica-fixture-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_fixture_records_its_environment_in_the_same_place_so_leftovers_can_be_found()
    {
        Assert.Equal(new DefaultRootFixture().Root, new DefaultRootFixture().Root);
        Assert.StartsWith(Path.GetFullPath(StateStore.DefaultRoot), new DefaultRootFixture().Root);
    }

    [Fact]
    public async Task A_fixture_reaps_the_leftovers_of_a_crashed_test_run_and_disposing_it_leaves_nothing()
    {
        var root = Path.Combine(_dir.Path, "state");
        var store = new StateStore(root);
        // What a test run killed mid-way leaves: its services running in their own sessions, its state naming it as owner.
        using var orphan = Process.Start(new ProcessStartInfo("setsid", ["sleep", "300"]) { UseShellExecute = false })!;
        var orphanIdentity = ProcessIdentity.Of(orphan.Id)!;
        store.Write(new EnvironmentState
        {
            Name = "xunit-crashed",
            ComposeFile = "compose.yaml",
            Runtime = "process",
            Owner = new ProcessIdentity(Environment.ProcessId, StartTicks: 1), // not this process: it is gone
            Processes = [orphanIdentity],
        });
        var compose = _dir.Write("compose.yaml", "services:\n  redis:\n    image: redis:7\n");
        var fixture = new RedisFixture(compose, root);
        try
        {
            await fixture.InitializeAsync();

            Assert.False(orphanIdentity.IsAlive, "the crashed run's service survived the next fixture");
            Assert.Equal([fixture.Environment.Name], store.Names());
        }
        finally
        {
            await fixture.DisposeAsync();
        }
        Assert.Empty(store.Names());
    }

    private sealed class RedisFixture(string composeFile, string stateDirectory) : ReplicaEnvironmentFixture
    {
        protected override string ComposeFile => composeFile;

        protected override string StateDirectory => stateDirectory;
    }

    private sealed class DefaultRootFixture : ReplicaEnvironmentFixture
    {
        public string Root => Path.GetFullPath(StateDirectory);
    }
}
