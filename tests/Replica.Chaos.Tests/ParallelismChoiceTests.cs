using Replica.Chaos.Verification;

namespace Replica.Chaos.Tests;

public sealed class ParallelismChoiceTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void The_default_is_two_copies_per_processor_when_memory_is_plenty()
    {
        var choice = ParallelismChoice.Default(processors: 2, copyBytes: 310 * MiB, availableBytes: 20_000 * MiB, runs: 60);

        Assert.Equal(4, choice.Copies);
        Assert.Equal(4, choice.CpuBound);
        Assert.Equal(51, choice.MemoryBound); // 80 % of 20000 MiB / 310 MiB
    }

    [Fact]
    public void Memory_bounds_k_when_copies_times_their_footprint_would_not_fit()
    {
        var choice = ParallelismChoice.Default(processors: 16, copyBytes: 400 * MiB, availableBytes: 1_000 * MiB, runs: 60);

        Assert.Equal(2, choice.Copies); // 2 × 400 MiB ≤ 800 MiB < 3 × 400 MiB
        Assert.Contains("2 fit in 80 % of 1000 MiB available", choice.Describe());
    }

    [Fact]
    public void Never_more_copies_than_runs_and_never_fewer_than_one()
    {
        Assert.Equal(3, ParallelismChoice.Default(8, 100 * MiB, 100_000 * MiB, runs: 3).Copies);
        Assert.Equal(1, ParallelismChoice.Default(2, 4_000 * MiB, 1_000 * MiB, runs: 60).Copies);
    }

    [Fact]
    public void Without_a_measured_footprint_the_processors_decide()
    {
        var choice = ParallelismChoice.Default(processors: 2, copyBytes: null, availableBytes: 1_000 * MiB, runs: 60);

        Assert.Equal(4, choice.Copies);
        Assert.Null(choice.MemoryBound);
        Assert.Contains("memory not measured", choice.Describe());
    }
}
