using System.Text.Json;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// `verify --shard i/n` and `replica report merge` as CI uses them: two shards run as two separate processes (each with
/// its own copies), their JSON reports merged into one verdict; and `--calibrate`.
/// </summary>
public sealed class ShardedVerifyCliTests : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();
    private readonly ScratchDirectory _out = new("replica-shards-");
    private readonly CliRunner _cli;

    public ShardedVerifyCliTests() => _cli = new CliRunner(_state.Root);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _cli.Dispose();
        await _state.DisposeAsync();
        _out.Dispose();
    }

    [Fact]
    public async Task Two_shards_run_as_two_processes_merge_into_one_report_whose_counts_are_their_sum()
    {
        var first = Path.Combine(_out.Path, "r2.1.json");
        var second = Path.Combine(_out.Path, "r2.2.json");
        // Two processes at once, as two CI machines would run them; each names its copies after its own process.
        var shards = await Task.WhenAll(
            RunShardAsync("1/2", first, "shard-a"),
            RunShardAsync("2/2", second, "shard-b"));
        Assert.All(shards, r => Assert.True(r.ExitCode is 0 or 1, r.ToString()));

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
        var first = Path.Combine(_out.Path, "r2.1.json");
        var result = await RunShardAsync("1/3", first, "once", variants: "fixed", runs: "3");
        Assert.True(result.ExitCode == 0, result.ToString());
        var copy = _out.Write("copy.json", File.ReadAllText(first));
        var junit = Path.Combine(_out.Path, "never.xml");

        var merged = await _cli.RunAsync(["report", "merge", first, copy, "--junit", junit]);

        Assert.True(merged.ExitCode == 2, merged.ToString());
        Assert.Contains($"{copy}: run 1 of fixed is also in {first}", merged.StandardError);
        Assert.DoesNotContain("   at ", merged.StandardError);
        Assert.False(File.Exists(junit));
    }

    [Fact]
    public async Task A_file_that_is_not_a_verify_report_is_bad_input_with_its_line()
    {
        var broken = _out.Write("broken.json", "{\n  \"scenario\": \"r2\",\n  \"runs\": [ oops ]\n}\n");

        var result = await _cli.RunAsync(["report", "merge", broken]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{broken}:3: not a verify report", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("two")]
    public async Task A_shard_that_is_not_i_of_n_is_rejected_before_anything_starts(string shard)
    {
        var result = await _cli.RunAsync(["verify", "r2", "--runs", "3", "--shard", shard]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"--shard: expected i/n with 1 ≤ i ≤ n (e.g. 2/3), found '{shard}'", result.StandardError);
        Assert.Empty(_state.Store.Names());
    }

    /// <summary>`--calibrate`: the sample at K = 1 and at K, compared; the chosen K and the check are in the JSON.</summary>
    [Fact]
    [Trait("Category", "Scenarios")]
    public async Task Calibrate_compares_k_1_with_the_chosen_k_and_finds_no_difference_for_r2()
    {
        var result = await _cli.RunAsync(["verify", "r2", "--calibrate", "--runs", "4", "--parallel", "3", "--json"], TimeSpan.FromMinutes(8));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var report = JsonDocument.Parse(result.StandardOutput);
        var calibration = report.RootElement.GetProperty("calibration");
        Assert.Equal(3, calibration.GetProperty("copies").GetInt32());
        Assert.Equal(3, report.RootElement.GetProperty("parallelism").GetProperty("copies").GetInt32());
        Assert.False(calibration.GetProperty("differs").GetBoolean());
        foreach (var variant in calibration.GetProperty("variants").EnumerateArray())
        {
            Assert.Equal(4, variant.GetProperty("aloneCompleted").GetInt32());
            Assert.Equal(4, variant.GetProperty("parallelCompleted").GetInt32());
        }
        Assert.Contains("no difference beyond the intervals", result.StandardError);
    }

    private Task<CliResult> RunShardAsync(string shard, string jsonFile, string name, string variants = "baseline,seed-fix,fixed", string runs = "3") =>
        RunToFileAsync(["verify", "r2", "--runs", runs, "--variants", variants, "--seed", "77", "--shard", shard, "--parallel", "2", "--name", name, "--json"], jsonFile);

    private async Task<CliResult> RunToFileAsync(string[] args, string jsonFile)
    {
        var result = await _cli.RunAsync(args, TimeSpan.FromMinutes(5));
        await File.WriteAllTextAsync(jsonFile, result.StandardOutput);
        return result;
    }

    private static List<int> Indices(JsonDocument report) =>
        report.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()).ToList();

    private static int Count(JsonDocument report, string variant, string count) =>
        report.RootElement.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("variant").GetString() == variant).GetProperty(count).GetInt32();
}
