using System.Text.Json.Nodes;
using Replica.Chaos.Probes;
using Replica.Chaos.Reports;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Verification;
using Replica.Environments.Errors;
using Replica.Tests.Support;

namespace Replica.Chaos.Tests;

/// <summary>
/// Merging shard reports: the same verdicts and intervals as one verify of all their runs; reports that do not
/// belong together refused. The shard reports are made from run records (the runs themselves are the CLI tests').
/// </summary>
public sealed class ReportMergerTests
{
    private static readonly FailureMode Close1011 = new(FailureKind.WebSocketClosed, 1011, "Service not ready: redis");
    private static readonly (string, VariantExpectation)[] Variants = [("baseline", VariantExpectation.Symptom), ("fixed", VariantExpectation.Pass)];

    [Fact]
    public void Merged_shards_give_what_one_verify_of_all_their_runs_gives()
    {
        // baseline shows the symptom in 1 run of 10: each shard alone would say little; together they reproduce it.
        var all = Runs("baseline", 10, symptomAt: [7]).Concat(Runs("fixed", 10, failAt: [])).ToList();
        var shards = Enumerable.Range(1, 3).Select(i =>
        {
            var shard = new Shard(i, 3);
            return ($"s{i}.json", Report(all.Where(r => shard.Includes(r.Index)).ToList(), shard, seed: 5, machine: $"m{i}"));
        }).ToList();

        var (merged, notes) = ReportMerger.Merge(shards);

        var single = Report(all, Shard.All, seed: 5, machine: "m");
        Assert.Equal(single.Variants.Select(Comparable), merged.Variants.Select(Comparable));
        Assert.Equal(["1/3", "2/3", "3/3"], merged.Shards);
        Assert.Equal(["m1", "m2", "m3"], merged.Machines);
        Assert.Equal([5L], merged.Seeds);
        Assert.Equal(20, merged.Runs.Count);
        Assert.Empty(notes);
        Assert.Equal(Verdict.Reproduced, merged.Variants[0].Verdict);
        Assert.Equal(Verdict.Fixed, merged.Variants[1].Verdict);
    }

    [Fact]
    public void A_merge_survives_the_json_round_trip_of_verify_json()
    {
        using var scratch = new ScratchDirectory("replica-merge-");
        var all = Runs("baseline", 4, symptomAt: [1, 2, 3, 4]).Concat(Runs("fixed", 4, failAt: [2])).ToList();
        var paths = Enumerable.Range(1, 2).Select(i =>
        {
            var shard = new Shard(i, 2);
            return scratch.Write($"s{i}.json", VerificationReportJson.Serialize(Report(all.Where(r => shard.Includes(r.Index)).ToList(), shard, 9, "m")));
        }).ToList();

        var (merged, _) = ReportMerger.Merge(paths.Select(p => (p, VerificationReportJson.Read(p))).ToList());

        Assert.Equal(Report(all, Shard.All, 9, "m").Variants.Select(Comparable), merged.Variants.Select(Comparable));
        Assert.Equal(Verdict.NotFixed, merged.Variants[1].Verdict);
        Assert.Equal(1011, merged.Runs.First(r => r.Variant == "baseline").FailureMode!.Code);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reports_written_before_shards_copies_machines_and_seeds_were_recorded_or_with_them_null_still_merge(bool asNull)
    {
        using var scratch = new ScratchDirectory("replica-merge-");
        var all = Runs("baseline", 4, symptomAt: [1, 2]).Concat(Runs("fixed", 4, failAt: [])).ToList();
        var paths = Enumerable.Range(1, 2).Select(i =>
        {
            var shard = new Shard(i, 2);
            var json = JsonNode.Parse(VerificationReportJson.Serialize(Report(all.Where(r => shard.Includes(r.Index)).ToList(), shard, 9, "m")))!.AsObject();
            foreach (var name in new[] { "shards", "copies", "machines", "seeds" })
            {
                Assert.True(json.Remove(name), name);
                if (asNull)
                {
                    json[name] = null;
                }
            }
            return scratch.Write($"old{i}.json", json.ToJsonString());
        }).ToList();

        var (merged, _) = ReportMerger.Merge(paths.Select(p => (p, VerificationReportJson.Read(p))).ToList());

        Assert.Equal(["1/1"], merged.Shards);
        Assert.Empty(merged.Copies);
        Assert.Empty(merged.Machines);
        Assert.Equal([9L], merged.Seeds);
        Assert.Equal(8, merged.Runs.Count);
        Assert.Equal(Verdict.Reproduced, merged.Variants[0].Verdict);
    }

    [Fact]
    public void A_missing_shard_is_said_and_the_verdict_is_over_the_runs_present()
    {
        var all = Runs("baseline", 6, symptomAt: [1]).Concat(Runs("fixed", 6, failAt: [])).ToList();
        var one = new Shard(1, 2);

        var (merged, notes) = ReportMerger.Merge([("s1.json", Report(all.Where(r => one.Includes(r.Index)).ToList(), one, 1, "m", runsPerVariant: 6))]);

        Assert.Equal(3, merged.Variants[0].Runs);
        Assert.Contains("baseline: 3 of 6 runs present (a shard missing?): the verdict is over these 3", notes);
    }

    [Fact]
    public void Reports_of_other_scenarios_or_variants_or_overlapping_runs_are_refused_naming_the_file()
    {
        var runs = Runs("baseline", 2, symptomAt: [1]).Concat(Runs("fixed", 2, failAt: [])).ToList();
        var a = Report(runs, Shard.All, 1, "m");

        var other = a with { Scenario = "r9" };
        Assert.Equal("b.json: cannot be merged: scenario 'r9', but a.json is 'r2'", Refused(("a.json", a), ("b.json", other)));
        var fewer = a with { Variants = a.Variants.Take(1).ToList(), Runs = [] };
        Assert.Equal("b.json: cannot be merged: variants baseline, but a.json has baseline, fixed (merge shards of the same verify)", Refused(("a.json", a), ("b.json", fewer)));
        Assert.Equal("b.json: run 1 of baseline is also in a.json: shards must be disjoint (one --shard i/n each, same n)", Refused(("a.json", a), ("b.json", a)));
        var stricter = a with { MinimumSymptomRate = 0.9, Runs = [] };
        Assert.Equal("b.json: cannot be merged: --min-rate 0.9, but a.json has (none)", Refused(("a.json", a), ("b.json", stricter)));
    }

    private static string Refused(params (string, VerificationReport)[] reports)
    {
        var ex = Assert.Throws<ReplicaException>(() => ReportMerger.Merge(reports));
        Assert.Equal(ReplicaErrorKind.BadInput, ex.Kind);
        return ex.Message;
    }

    private static object Comparable(VariantSummary v) =>
        (v.Variant, v.Runs, v.Passed, v.Symptoms, v.OtherFailures, v.Errors, v.FailureRate, v.Verdict, string.Join(";", v.FailureModes.Select(m => $"{m.Key}={m.Value}")));

    private static VerificationReport Report(IReadOnlyList<RunResult> runs, Shard shard, long seed, string machine, int runsPerVariant = 0) =>
        ScenarioVerifier.Summarise("r2", "incident", null, "close 1011", "process", seed, Variants, runs,
            DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), null) with
        {
            RunsPerVariant = runsPerVariant,
            Shards = [shard.ToString()],
            Machines = [machine],
        };

    private static IEnumerable<RunResult> Runs(string variant, int count, int[]? symptomAt = null, int[]? failAt = null) =>
        Enumerable.Range(1, count).Select(i =>
        {
            var failed = (symptomAt ?? []).Contains(i) || (failAt ?? []).Contains(i);
            var outcome = failed ? (symptomAt is not null ? RunOutcome.Symptom : RunOutcome.OtherFailure) : RunOutcome.Passed;
            return new RunResult(variant, i, 1, outcome, failed ? Close1011 : null, [], [], TimeSpan.FromSeconds(1), Copy: "c-1", RunSeed: RunSeeds.For(1, variant, i));
        });
}
