using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

/// <summary>
/// Tests asserting a network profile's round trips within tight tolerances run alone, after the parallel tests of
/// this assembly: next to tests that start processes, round trips on two cores come 70–300 ms late, a fault of the
/// test run and not of the proxy.
/// Every class in it also carries <c>[Trait("Category", TimingCollection.Category)]</c>: the fast tier runs the other
/// test assemblies side by side, then these alone, one assembly after the other (the collection alone only keeps them
/// apart from the tests of their own assembly).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Edge proxy timing";

    /// <summary>The test category of its classes, which the fast tier runs alone.</summary>
    public const string Category = TimingCategory.Name;
}
