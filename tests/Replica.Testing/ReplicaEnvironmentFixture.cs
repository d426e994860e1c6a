using Replica.Environments.Hosting;
using Replica.Environments.Proxied;
using Replica.Environments.Runtimes;
using Replica.Environments.State;
using Xunit;

namespace Replica.Testing;

/// <summary>
/// An environment (compose.yaml with Replica's proxies on every connection) brought up once for a test collection
/// and torn down after it — xUnit's collection fixture. Derive from it to choose the compose file, settings, runtime:
/// <code>
/// public sealed class Staging : ReplicaEnvironmentFixture
/// {
///     protected override EnvironmentBuilder Configure(EnvironmentBuilder b) => b.WithSetting("backend", "AGENT_EVENT_DELAY", "0ms");
/// }
/// [CollectionDefinition("staging")] public sealed class StagingCollection : ICollectionFixture&lt;Staging&gt;;
/// [Collection("staging")] public sealed class MyTests(Staging staging) { ... }
/// </code>
/// Its state lives in one fixed directory shared by every fixture (<see cref="StateDirectory"/>): disposing the fixture
/// reaps everything it started, also after a failed start; what a crashed or killed test run left behind (its owner, the
/// test process, is gone) is reaped when the next fixture starts.
/// </summary>
public class ReplicaEnvironmentFixture : IAsyncLifetime
{
    private StateStore? _store;
    private string? _name;
    private ReplicaEnvironment? _environment;

    /// <summary>Where the fixtures' environments are recorded: xunit.environments/ in Replica's state directory ($REPLICA_STATE_DIR…).</summary>
    protected virtual string StateDirectory => Path.Combine(StateStore.DefaultRoot, "xunit.environments");

    /// <summary>compose.yaml to bring up: by default the nearest one above the test assembly.</summary>
    protected virtual string ComposeFile => ComposeFileLocator.Nearest();

    /// <summary>Adjust the environment: settings, deferred services, another runtime.</summary>
    protected virtual EnvironmentBuilder Configure(EnvironmentBuilder builder) => builder;

    /// <summary>The proxies' options: seed, edge port.</summary>
    protected virtual ReplicaEnvironmentOptions ProxyOptions => new();

    public ReplicaEnvironment Environment => _environment ?? throw new InvalidOperationException("the environment is not up yet");

    /// <summary>Where clients connect: the edge proxy (http://127.0.0.1:port).</summary>
    public Uri EdgeUrl => Environment.EdgeUrl ?? throw new InvalidOperationException("compose.yaml declares no x-replica.edge routes");

    /// <summary>A service's endpoint, bypassing the edge proxy.</summary>
    public HostEndpoint Service(string name) => Environment[name].Endpoint ?? throw new InvalidOperationException($"service '{name}' has no port");

    /// <summary>Faults that undo themselves when disposed.</summary>
    public EnvironmentFaults Faults => new(Environment);

    public virtual async Task InitializeAsync()
    {
        _store = new StateStore(StateDirectory);
        _name = $"xunit-{Guid.NewGuid():N}"[..14];
        // Leftovers of a test run that crashed or was killed: their owner is dead.
        await new OrphanReaper(_store).ReapOrphansAsync(CancellationToken.None);
        var builder = new EnvironmentBuilder()
            .WithComposeFile(ComposeFile)
            .WithName(_name)
            .WithStateDirectory(_store.Root);
        _environment = await ReplicaEnvironment.StartAsync(Configure(builder), ProxyOptions);
    }

    public virtual async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
        if (_store is not null && _name is not null)
        {
            // Whatever this fixture's environment still records (a start that failed halfway, a stop that did not finish).
            await new OrphanReaper(_store).ReapAsync(_name, CancellationToken.None);
        }
    }
}
