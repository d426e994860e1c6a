using Replica.Tests.Support;

namespace Replica.Environments.Tests.Docker;

/// <summary>The docker tests share one engine and run one at a time: two cores, one dockerd.</summary>
[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerEngineFixture>
{
    public const string Name = "Docker";
}
