namespace Replica.Environments.Tests.Proxied;

/// <summary>One environment for every test class of the collection, up before the first, down after the last.</summary>
[CollectionDefinition(Name)]
public sealed class StagingCollection : ICollectionFixture<StagingEnvironment>
{
    public const string Name = "staging (proxied)";
}
