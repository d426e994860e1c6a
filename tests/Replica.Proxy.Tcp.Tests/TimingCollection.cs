using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// Tests asserting Toxiproxy's tight tolerances (latency within jitter + 10 ms, bandwidth within 10 ms) run alone, after
/// the parallel tests: measured here, running them next to the tests that start `replica` and node processes put
/// round trips 70–300 ms late on two cores, a fault of the test run and not of the proxy.
/// Every class in it also carries <c>[Trait("Category", TimingCollection.Category)]</c>: the fast tier runs the other
/// test assemblies side by side, then these alone, one assembly after the other (the collection alone only keeps them
/// apart from the tests of their own assembly).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Toxiproxy timing";

    /// <summary>The test category of its classes, which the fast tier runs alone.</summary>
    public const string Category = TimingCategory.Name;
}
