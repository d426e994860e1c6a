namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// Tests asserting Toxiproxy's tight tolerances (latency within jitter + 10 ms, bandwidth within 10 ms) run alone, after
/// the parallel tests: measured here, running them next to the tests that start `replica` and node processes put
/// round trips 70–300 ms late on two cores, a fault of the test run and not of the proxy.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Toxiproxy timing";
}
