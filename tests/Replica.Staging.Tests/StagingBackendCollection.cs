namespace Replica.Staging.Tests;

/// <summary>The protocol test classes share one running reference environment (<see cref="StagingBackendFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class StagingBackendCollection : ICollectionFixture<StagingBackendFixture>
{
    public const string Name = "staging-backend";
}
