using Replica.Environments.Hosting;
using Replica.Testing;

namespace Replica.Testing.Tests.Examples;

/// <summary>
/// How a user brings their environment up for a test collection: derive from ReplicaEnvironmentFixture and adjust
/// (here: agent events unpaced, so runs are quick). compose.yaml is found above the test assembly.
/// </summary>
public sealed class StagingEnvironment : ReplicaEnvironmentFixture
{
    protected override EnvironmentBuilder Configure(EnvironmentBuilder builder) =>
        builder.WithSetting("backend", "AGENT_EVENT_DELAY", "0ms");
}
