using Replica.Chaos.Environments;
using Replica.Environments.Hosting;
using Replica.Tests.Support;

namespace Replica.Tests.Chaos;

/// <summary>The reference topology with every proxy in place, shared by a test class (starting it costs about a second).</summary>
public sealed class ReferenceEnvironmentFixture : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();

    public ReplicaEnvironment Environment { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new EnvironmentBuilder()
            .WithComposeFile(RepositoryPaths.ComposeFile)
            .WithName($"wired-{Guid.NewGuid():N}"[..14])
            .WithStateDirectory(_state.Root);
        Environment = await ReplicaEnvironment.StartAsync(builder, new ReplicaEnvironmentOptions { Seed = 7 });
    }

    public async Task DisposeAsync()
    {
        if (Environment is not null)
        {
            await Environment.DisposeAsync();
        }
        await _state.DisposeAsync();
    }
}
