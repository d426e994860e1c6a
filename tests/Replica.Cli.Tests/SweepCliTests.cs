using System.Text.Json;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// `replica sweep` as a user runs it. Bad input (a path, a range, a value that makes a step impossible, an unknown
/// sweep) exits 2 naming the flag or file:line, before anything starts. The shipped R2 lateness sweep on the real
/// services is <see cref="SweepAcceptanceTests"/>.
/// </summary>
public sealed class SweepCliTests() : IsolatedCliTest("replica-sweep-")
{
    [Theory]
    [InlineData(new[] { "--vary", "timeline.redis-not-redy.for=0ms..1s/100ms" }, "--vary timeline.redis-not-redy.for=0ms..1s/100ms: unknown path", "nearest valid paths: timeline.redis-not-ready.for")]
    [InlineData(new[] { "--vary", "timeline[3].after=0..2000/100" }, "--vary timeline[3].after=0..2000/100: bad range", "has no unit: the path holds a duration")]
    [InlineData(new[] { "--vary", "timeline[3].after=0ms..2s" }, "bad range '0ms..2s'", "give a step (0ms..2s/STEP) or let the sweep choose (auto:0ms..2s)")]
    [InlineData(new[] { "--vary", "timeline.redis-not-ready.for=0ms..1s/500ms" }, "with timeline.redis-not-ready.for=0ms the scenario is not valid", "for: must be longer than 0")]
    [InlineData(new[] { "--vary", "timeline[3].after" }, "--vary timeline[3].after: expected PATH=RANGE", "")]
    [InlineData(new[] { "redis-latenes" }, "no sweep 'redis-latenes' (did you mean 'redis-lateness'?)", "r2-websocket-1011-redis-late.yaml")]
    [InlineData(new string[0], "what to vary?", "--vary PATH=RANGE")]
    public async Task Bad_input_exits_2_naming_the_flag_or_the_line_and_starts_nothing(string[] args, string expected, string also)
    {
        var result = await Cli.RunAsync(["sweep", "r2", .. args]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.StandardError);
        Assert.Contains(also, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.DoesNotContain("Environment up", result.StandardOutput);
        Assert.Empty(State.Store.Names());
    }

    [Fact]
    public async Task An_impossible_value_names_the_line_of_the_step_in_the_scenario_file()
    {
        var result = await Cli.RunAsync(["sweep", "r2", "--vary", "timeline.redis-not-ready.for=0ms..1s/500ms"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Matches(@"r2-websocket-1011-redis-late\.yaml:\d+:\d+: timeline\[0\]\.for: must be longer than 0", result.StandardError);
    }

    [Fact]
    public async Task A_parallel_of_zero_copies_is_refused_naming_the_flag()
    {
        var result = await Cli.RunAsync(["sweep", "r2", "redis-lateness", "--parallel", "0"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--parallel: expected at least 1 copy, found 0", result.StandardError);
        Assert.Empty(State.Store.Names());
    }

    [Fact]
    public async Task With_parallel_2_a_rounds_runs_go_to_two_copies_and_each_value_keeps_its_outcome()
    {
        // The seed validator's window widened from 5 × 100 ms to 20 × 100 ms: with two copies beside the rest of a test
        // tier on two cores, a just-restarted backend's first Redis handshake can take longer than 500 ms, and this
        // test is about where runs go and what each value keeps, not about the boundary (SweepAcceptanceTests is).
        // Redis back at once: the first message is served; back after 3.5 s: the validator has given up at 2 s (1011).
        var shipped = File.ReadAllText(Path.Combine(ScenarioFiles.Directory, "r2-websocket-1011-redis-late.yaml"));
        Assert.Contains("REDIS_READY_RETRIES: \"5\"", shipped);
        var scenario = Out.Write("r2-wide-window.yaml", shipped
            .Replace("REDIS_READY_RETRIES: \"5\"", "REDIS_READY_RETRIES: \"20\"")
            .Replace("settings:\n  backend:", $"compose: {RepositoryPaths.ComposeFile}\nsettings:\n  backend:"));
        var result = await Cli.RunAsync(
            ["sweep", scenario, "--vary", "timeline[3].after=0ms,3500ms", "--runs", "2", "--variants", "baseline", "--parallel", "2", "--json"],
            TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var report = JsonDocument.Parse(result.StandardOutput);
        var runs = report.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(4, runs.Count);
        Assert.Equal(
            ["verify-r2-websocket-1011-redis-late-1", "verify-r2-websocket-1011-redis-late-2"],
            runs.Select(r => r.GetProperty("copy").GetString()).Distinct().Order(StringComparer.Ordinal));
        var points = report.RootElement.GetProperty("variants")[0].GetProperty("points").EnumerateArray()
            .ToDictionary(p => p.GetProperty("values")[0].GetDouble(), p => p.GetProperty("failures").GetInt32());
        Assert.Equal(0, points[0]);
        Assert.Equal(2, points[3500]);
        Assert.Empty(State.Store.Names());
    }
}
