using Replica.Environments.Hosting;
using Replica.Testing;

namespace Replica.Environments.Tests.Proxied;

/// <summary>The reference environment as `replica up` starts it, agent events unpaced so runs are quick.</summary>
public sealed class StagingEnvironment : ReplicaEnvironmentFixture
{
    protected override EnvironmentBuilder Configure(EnvironmentBuilder builder) =>
        builder.WithSetting("backend", "AGENT_EVENT_DELAY", "0ms");
}
