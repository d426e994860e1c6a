namespace Replica.Bench.EdgeProxy;

/// <summary>One thing wrk is pointed at: its URL, and the process (with its children) whose CPU the request costs, if any.</summary>
internal sealed record BenchTarget(string Name, Uri Url, int? Pid);
