using System.Text.Json;
using Replica.Tests.Support;

namespace Replica.Cli.Tests.Sharding;

/// <summary>
/// `verify --shard i/n` and `replica report merge` as CI uses them: bad input refused before anything starts, and
/// `--calibrate`. Two real shards merged into one report: <see cref="ShardMergeCliTests"/>.
/// </summary>
public sealed class ShardedVerifyCliTests() : IsolatedCliTest("replica-shards-")
{
    [Fact]
    public async Task A_file_that_is_not_a_verify_report_is_bad_input_with_its_line()
    {
        var broken = Out.Write("broken.json", "{\n  \"scenario\": \"r2\",\n  \"runs\": [ oops ]\n}\n");

        var result = await Cli.RunAsync(["report", "merge", broken]);

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
        var result = await Cli.RunAsync(["verify", "r2", "--runs", "3", "--shard", shard]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"--shard: expected i/n with 1 ≤ i ≤ n (e.g. 2/3), found '{shard}'", result.StandardError);
        Assert.Empty(State.Store.Names());
    }

    /// <summary>`--calibrate`: the sample at K = 1 and at K, compared; the chosen K and the check are in the JSON.</summary>
    [Fact]
    [Trait("Category", "Scenarios")]
    public async Task Calibrate_compares_k_1_with_the_chosen_k_and_finds_no_difference_for_r2()
    {
        var result = await Cli.RunAsync(["verify", "r2", "--calibrate", "--runs", "4", "--parallel", "3", "--json"], TimeSpan.FromMinutes(8));

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
}
