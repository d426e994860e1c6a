using Replica.Chaos.Scenarios;
using Replica.Chaos.Verification;
using Replica.Environments.Errors;

namespace Replica.Chaos.Tests;

public sealed class ShardTests
{
    private static readonly ScenarioVariant[] Variants =
    [
        new("baseline", VariantExpectation.Symptom, null, new Dictionary<string, IReadOnlyDictionary<string, string>>()),
        new("fixed", VariantExpectation.Pass, null, new Dictionary<string, IReadOnlyDictionary<string, string>>()),
    ];

    [Theory]
    [InlineData(20, 3)]
    [InlineData(7, 7)]
    [InlineData(100, 4)]
    [InlineData(2, 1)]
    public void The_shards_of_a_verify_are_disjoint_and_together_every_run(int runs, int shards)
    {
        var plans = Enumerable.Range(1, shards).Select(i => new Shard(i, shards).Plan(Variants, runs)).ToList();

        var all = plans.SelectMany(p => p).Select(r => (r.Variant.Name, r.Index)).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(Shard.All.Plan(Variants, runs).Select(r => (r.Variant.Name, r.Index)).Order(), all.Order());
        // Balanced: no shard carries more than one run per variant over another.
        Assert.InRange(plans.Max(p => p.Count) - plans.Min(p => p.Count), 0, Variants.Length);
    }

    [Fact]
    public void A_shard_takes_every_nth_run_keeping_its_index()
    {
        Assert.Equal([2, 5, 8], new Shard(2, 3).Plan(Variants[..1], 9).Select(r => r.Index));
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    [InlineData("-1/3")]
    [InlineData("1/3/4")]
    public void Anything_but_i_of_n_is_bad_input_naming_the_option(string text)
    {
        var ex = Assert.Throws<ReplicaException>(() => Shard.Parse(text));

        Assert.Equal(ReplicaErrorKind.BadInput, ex.Kind);
        Assert.Equal($"--shard: expected i/n with 1 ≤ i ≤ n (e.g. 2/3), found '{text}'", ex.Message);
    }

    [Fact]
    public void Run_seeds_depend_on_the_scenario_seed_the_variant_and_the_index_alone()
    {
        Assert.Equal(RunSeeds.For(42, "baseline", 3), RunSeeds.For(42, "baseline", 3));
        var seeds = Enumerable.Range(1, 1000).Select(i => RunSeeds.For(42, "baseline", i)).ToList();
        Assert.Equal(1000, seeds.Distinct().Count());
        Assert.All(seeds, s => Assert.InRange(s, 1, int.MaxValue));
        Assert.NotEqual(RunSeeds.For(42, "baseline", 3), RunSeeds.For(43, "baseline", 3));
        Assert.NotEqual(RunSeeds.For(42, "baseline", 3), RunSeeds.For(42, "fixed", 3));
        // Fixed across processes and machines (no per-process string hashing): the value is pinned.
        Assert.Equal(843250649, RunSeeds.For(42, "baseline", 1));
        Assert.Equal(42, RunSeeds.ForCopy(42, 1));
        Assert.NotEqual(RunSeeds.ForCopy(42, 2), RunSeeds.ForCopy(42, 3));
    }
}
