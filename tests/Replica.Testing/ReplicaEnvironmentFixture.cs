using Replica.Chaos.Environments;
using Replica.Environments.Hosting;
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
/// Its state lives in a directory of its own; whatever happens (a failed test, a crash), disposing the fixture or the
/// next `replica up`/`down` reaps everything it started.
/// </summary>
public class ReplicaEnvironmentFixture : IAsyncLifetime
{
    private string? _stateDirectory;
    private ReplicaEnvironment? _environment;

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
        _stateDirectory = Directory.CreateTempSubdirectory("replica-xunit-").FullName;
        var builder = new EnvironmentBuilder()
            .WithComposeFile(ComposeFile)
            .WithName($"xunit-{Guid.NewGuid():N}"[..14])
            .WithStateDirectory(_stateDirectory);
        _environment = await ReplicaEnvironment.StartAsync(Configure(builder), ProxyOptions);
    }

    public virtual async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
        if (_stateDirectory is not null)
        {
            await new OrphanReaper(new StateStore(_stateDirectory)).ReapOrphansAsync(CancellationToken.None);
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }
}
