namespace Replica.Chaos.Verification;

/// <summary>
/// How many copies a verify ran on, and why (in the JSON report).
/// <para>
/// The default is the smallest of three bounds. CPU: <see cref="CopiesPerProcessor"/> copies per processor — a run
/// mostly waits (a fault window, a frame timeout) and its CPU work (a service restart: process start and .NET
/// start-up) takes about half a core-second of a run of 1.3 s or more, so two copies per core keep the cores busy
/// without making every restart wait for a core (measured in bench/RESULTS.md). Memory: the first copy's resident
/// memory measured once it is up (its services' processes and what its proxies added to this process) times K must
/// fit in <see cref="MemoryShare"/> of the memory the kernel says is available. Work: never more copies than runs.
/// </para>
/// </summary>
/// <param name="Copies">K, the copies the runs were spread over.</param>
/// <param name="Source">"--parallel" when given, else "default".</param>
/// <param name="Processors">The processors this process may use.</param>
/// <param name="CpuBound">Copies the processors sustain (<see cref="CopiesPerProcessor"/> per processor).</param>
/// <param name="CopyMemoryMiB">The first copy's resident memory, measured at start; null when not measurable (containers).</param>
/// <param name="AvailableMiB">Memory available when the first copy was up (/proc/meminfo MemAvailable).</param>
/// <param name="MemoryBound">Copies that fit in <see cref="MemoryShare"/> of the available memory; null when not measured.</param>
/// <param name="Runs">Runs this verify carries out (the bound by work).</param>
public sealed record ParallelismChoice(
    int Copies,
    string Source,
    int Processors,
    int CpuBound,
    double? CopyMemoryMiB,
    double? AvailableMiB,
    int? MemoryBound,
    int Runs)
{
    public const int CopiesPerProcessor = 2;

    /// <summary>The share of available memory the copies may fill (the rest is headroom for restarts and the page cache).</summary>
    public const double MemoryShare = 0.8;

    /// <summary>The default K from the bounds (see the type's summary); at least 1.</summary>
    public static ParallelismChoice Default(int processors, long? copyBytes, long? availableBytes, int runs)
    {
        var cpu = Math.Max(1, processors * CopiesPerProcessor);
        int? memory = copyBytes is > 0 && availableBytes is { } available
            ? (int)Math.Max(1, Math.Floor(available * MemoryShare / copyBytes.Value))
            : null;
        var k = Math.Max(1, Math.Min(Math.Min(cpu, memory ?? int.MaxValue), runs));
        return new ParallelismChoice(k, "default", processors, cpu, MiB(copyBytes), MiB(availableBytes), memory, runs);
    }

    /// <summary>K given with --parallel (the bounds still recorded, for the report).</summary>
    public static ParallelismChoice Given(int copies, int processors, int runs) =>
        new(copies, "--parallel", processors, Math.Max(1, processors * CopiesPerProcessor), null, null, null, runs);

    /// <summary>One line for people: "K = 4 (default: 2 processors × 2; 1 copy = 310 MiB, 4 fit in 80 % of 20 GiB free)".</summary>
    public string Describe()
    {
        if (Source != "default")
        {
            return $"{Copies} {(Copies == 1 ? "copy" : "copies")} (--parallel)";
        }
        var memory = MemoryBound is { } m
            ? $"one copy {CopyMemoryMiB:0} MiB, {m} fit in {MemoryShare * 100:0} % of {AvailableMiB:0} MiB available"
            : "memory not measured";
        return $"{Copies} {(Copies == 1 ? "copy" : "copies")} (default: {Processors} processors × {CopiesPerProcessor} = {CpuBound}; {memory}; {Runs} runs)";
    }

    private static double? MiB(long? bytes) => bytes is { } b ? Math.Round(b / 1048576.0, 1) : null;
}
