using Replica.Tests.Support;

namespace Replica.Testing.Tests;

/// <summary>
/// Tests asserting a toxic's latency within tight tolerances run alone, after the parallel tests of this assembly:
/// next to tests that start environments, round trips on two cores come 70–300 ms late, a fault of the test run and
/// not of the proxy.
/// Every class in it also carries <c>[Trait("Category", TimingCollection.Category)]</c>: the fast tier runs the other
/// test assemblies side by side, then these alone, one assembly after the other (the collection alone only keeps them
/// apart from the tests of their own assembly).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "TCP fault proxy timing";

    /// <summary>The test category of its classes, which the fast tier runs alone.</summary>
    public const string Category = TimingCategory.Name;
}
