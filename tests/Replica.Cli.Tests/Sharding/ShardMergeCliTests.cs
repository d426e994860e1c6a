using System.Text.Json;
using Replica.Tests.Support;

namespace Replica.Cli.Tests.Sharding;

/// <summary>
/// `replica report merge` of the two shards of one verify as CI runs them (<see cref="TwoShardReports"/>, run once for
/// this class): merged into one verdict whose counts are their sum, and a shard given twice refused.
/// </summary>
public sealed class ShardMergeCliTests(TwoShardReports shards) : IClassFixture<TwoShardReports>, IDisposable
{
    private readonly ScratchDirectory _out = new("replica-shards-");
    private readonly CliRunner _cli = new();

    public void Dispose()
    {
        _cli.Dispose();
        _out.Dispose();
    }

    [Fact]
    public async Task Two_shards_run_as_two_processes_merge_into_one_report_whose_counts_are_their_sum()
    {
        var (first, second) = (shards.First, shards.Second);
        // Two processes at once, as two CI machines would run them; each names its copies after its own process.
        Assert.All(shards.Shards, r => Assert.True(r.ExitCode is 0 or 1, r.ToString()));

        using var a = JsonDocument.Parse(File.ReadAllText(first));
        using var b = JsonDocument.Parse(File.ReadAllText(second));
        Assert.Equal(["1/2"], a.RootElement.GetProperty("shards").EnumerateArray().Select(e => e.GetString()));
        // Shard 1 of 2 carries runs 1 and 3 of every variant, shard 2 runs 2 — disjoint, together every run.
        Assert.Equal([1, 3, 1, 3, 1, 3], Indices(a));
        Assert.Equal([2, 2, 2], Indices(b));
        Assert.All(a.RootElement.GetProperty("runs").EnumerateArray(), r => Assert.StartsWith("shard-a", r.GetProperty("copy").GetString()));

        var junit = Path.Combine(_out.Path, "merged.xml");
        var markdown = Path.Combine(_out.Path, "merged.md");
        var merged = await _cli.RunAsync(["report", "merge", first, second, "--junit", junit, "--markdown", markdown, "--json"]);

        Assert.True(merged.ExitCode == 0, merged.ToString());
        using var report = JsonDocument.Parse(merged.StandardOutput);
        var root = report.RootElement;
        Assert.Equal(["1/2", "2/2"], root.GetProperty("shards").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([1, 2, 3, 1, 2, 3, 1, 2, 3], Indices(report));
        Assert.Equal([77L], root.GetProperty("seeds").EnumerateArray().Select(e => e.GetInt64()));
        Assert.NotEmpty(root.GetProperty("machines").EnumerateArray());
        foreach (var variant in root.GetProperty("variants").EnumerateArray())
        {
            var name = variant.GetProperty("variant").GetString()!;
            foreach (var count in new[] { "runs", "passed", "symptoms", "otherFailures", "errors" })
            {
                Assert.Equal(Count(a, name, count) + Count(b, name, count), variant.GetProperty(count).GetInt32());
            }
            Assert.Equal(3, variant.GetProperty("runs").GetInt32());
        }
        // The verdict one verify of all 9 runs gives: R2 reproduces under baseline and seed-fix, fixed is fixed, and the
        // interval is the one of 3 runs, not of either shard's.
        var byName = root.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("variant").GetString()!);
        Assert.Equal("reproduced", byName["baseline"].GetProperty("verdict").GetString());
        Assert.Equal("reproduced", byName["seed-fix"].GetProperty("verdict").GetString());
        Assert.Equal("fixed", byName["fixed"].GetProperty("verdict").GetString());
        Assert.Equal(0.561, byName["fixed"].GetProperty("failureRate").GetProperty("high").GetDouble(), 3); // Wilson 0/3: at most 56.1 %

        var (code, parsed, error) = await NodeTools.RunAsync("parse-junit.mjs", [junit]);
        Assert.True(code == 0, error);
        using var totals = JsonDocument.Parse(parsed);
        Assert.Equal(3, totals.RootElement.GetProperty("passed").GetInt32());
        var summary = await File.ReadAllTextAsync(markdown);
        Assert.Contains("| fixed | pass | 0/3 |", summary);
        Assert.Contains("Shards 1/2, 2/2", summary);
    }

    [Fact]
    public async Task Merging_a_shard_twice_is_refused_naming_both_files_and_writes_nothing()
    {
        var first = shards.First;
        Assert.True(shards.Shards[0].ExitCode is 0 or 1, shards.Shards[0].ToString());
        var copy = _out.Write("copy.json", File.ReadAllText(first));
        var junit = Path.Combine(_out.Path, "never.xml");

        var merged = await _cli.RunAsync(["report", "merge", first, copy, "--junit", junit]);

        Assert.True(merged.ExitCode == 2, merged.ToString());
        Assert.Contains($"{copy}: run 1 of baseline is also in {first}", merged.StandardError);
        Assert.DoesNotContain("   at ", merged.StandardError);
        Assert.False(File.Exists(junit));
    }

    private static List<int> Indices(JsonDocument report) =>
        report.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()).ToList();

    private static int Count(JsonDocument report, string variant, string count) =>
        report.RootElement.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("variant").GetString() == variant).GetProperty(count).GetInt32();
}
