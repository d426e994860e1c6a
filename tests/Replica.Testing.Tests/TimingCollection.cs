namespace Replica.Testing.Tests;

/// <summary>
/// Tests asserting a toxic's latency within tight tolerances run alone, after the parallel tests of this assembly:
/// next to tests that start environments, round trips on two cores come 70–300 ms late, a fault of the test run and
/// not of the proxy.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "TCP fault proxy timing";
}
