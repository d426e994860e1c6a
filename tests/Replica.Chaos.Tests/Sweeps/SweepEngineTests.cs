using Replica.Chaos.Reports;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Sweeps;
using Replica.Environments.Compose;
using Replica.Tests.Support;
using System.Text.Json;

namespace Replica.Chaos.Tests.Sweeps;

/// <summary>
/// The adaptive search on known failure curves (a fake runner drawing from a model): it finds the 50 % crossing within
/// its interval, puts its runs near the crossing, says plainly when there is none, and its reports agree.
/// </summary>
public sealed class SweepEngineTests
{
    private static readonly string R2 = Path.Combine(ScenarioFiles.Directory, "r2-websocket-1011-redis-late.yaml");

    private static SweepPlan Plan(string vary, string? sweep = null)
    {
        var (scenario, _) = ScenarioLoader.Load(R2);
        var file = YamlFile.Load(R2);
        var definition = sweep is null ? SweepDefinition.FromFlags([vary], null, null) : SweepFileReader.Named(file, sweep);
        return SweepPlan.Create(file, null, scenario, definition, null);
    }

    /// <summary>R2's shape: the seed code fails once Redis is later than 480 ms (a steep, slightly noisy step); the fix never.</summary>
    private static double R2Like(string variant, double lateness) =>
        variant == "fixed" ? 0 : 1 / (1 + Math.Exp(-(lateness - 480) / 8));

    [Fact]
    public async Task The_boundary_is_found_within_its_interval_and_agrees_between_baseline_and_seed_fix()
    {
        var plan = Plan("", "redis-lateness");
        var runner = new ModelSweepRunner(R2Like);

        var report = await SweepEngine.RunAsync(plan, runner, 1, "model", TimeSpan.Zero, null, CancellationToken.None);

        var baseline = report.Variants.Single(v => v.Variant == "baseline").Boundary;
        var seedFix = report.Variants.Single(v => v.Variant == "seed-fix").Boundary;
        Assert.True(baseline.Found && seedFix.Found);
        Assert.True(baseline.Rising);
        Assert.InRange(480, baseline.Low, baseline.High);
        Assert.InRange(480, seedFix.Low, seedFix.High);
        Assert.InRange(baseline.Estimate, 440, 520);
        Assert.True(baseline.High - baseline.Low <= 2000.0 / SweepEngine.ResolutionDivisions * 2, $"interval {baseline.Low}–{baseline.High}");
        var fixedResult = report.Variants.Single(v => v.Variant == "fixed");
        Assert.False(fixedResult.Boundary.Found);
        Assert.StartsWith("no boundary in range: below 50 % at every value", fixedResult.Boundary.Description);
        Assert.All(fixedResult.Cells, c => Assert.Equal(0, c.Failures));
        Assert.True(report.ExpectationsHeld, string.Join("; ", report.Expectations.Select(e => $"{e.Expectation.Text}: {e.Detail}")));
    }

    [Fact]
    public async Task Runs_go_where_the_rate_changes_and_a_flat_variant_costs_only_its_coarse_grid()
    {
        var plan = Plan("", "redis-lateness");
        var runner = new ModelSweepRunner(R2Like);

        await SweepEngine.RunAsync(plan, runner, 1, "model", TimeSpan.Zero, null, CancellationToken.None);

        var baseline = runner.Requested.Where(r => r.Variant.Name == "baseline").ToList();
        var near = baseline.Count(r => Math.Abs(r.Values[0] - 480) <= 250);
        Assert.True(near > baseline.Count / 2, $"{near} of {baseline.Count} baseline runs within 250 ms of the boundary");
        Assert.Equal(SweepRange.CoarsePoints * plan.Runs, runner.Requested.Count(r => r.Variant.Name == "fixed"));
        Assert.True(runner.BatchSizes.Count > 2, "the search goes in rounds (a pool of environments runs a round side by side)");
    }

    [Fact]
    public async Task A_falling_curve_has_a_boundary_that_passes_from_the_value_and_a_flat_one_says_no_boundary()
    {
        var plan = Plan("", "ready-timeout");
        var runner = new ModelSweepRunner((variant, timeout) => variant == "fixed" ? (timeout < 1000 ? 1 : 0) : 1);

        var report = await SweepEngine.RunAsync(plan, runner, 1, "model", TimeSpan.Zero, null, CancellationToken.None);

        var fixedBoundary = report.Variants.Single(v => v.Variant == "fixed").Boundary;
        Assert.True(fixedBoundary.Found);
        Assert.False(fixedBoundary.Rising);
        Assert.InRange(1000, fixedBoundary.Low, fixedBoundary.High);
        Assert.StartsWith("passes from", fixedBoundary.Description);
        Assert.Equal("no boundary in range: above 50 % at every value (at least 100 %)", report.Variants.Single(v => v.Variant == "baseline").Boundary.Description);
        Assert.True(report.ExpectationsHeld);
    }

    [Fact]
    public async Task A_boundary_outside_the_expected_window_fails_its_expectation()
    {
        var plan = Plan("", "redis-lateness");
        var runner = new ModelSweepRunner((variant, lateness) => variant == "fixed" ? (lateness > 1500 ? 1 : 0) : lateness > 1200 ? 1 : 0);

        var report = await SweepEngine.RunAsync(plan, runner, 1, "model", TimeSpan.Zero, null, CancellationToken.None);

        Assert.False(report.ExpectationsHeld);
        Assert.Contains(report.Expectations, e => e.Expectation.Text == "boundary_at_most: 625ms" && !e.Held && e.Detail.StartsWith("boundary at 1.2", StringComparison.Ordinal));
        Assert.Contains(report.Expectations, e => e.Expectation.Text == "max_failures: 0" && !e.Held);
        Assert.Contains(report.Expectations, e => e.Expectation.Text == "same_boundary_as: baseline" && e.Held);
    }

    [Fact]
    public async Task The_JSON_Markdown_SVG_and_HTML_report_the_same_boundaries_and_counts()
    {
        var plan = Plan("", "redis-lateness");
        var report = await SweepEngine.RunAsync(plan, new ModelSweepRunner(R2Like), 1, "model", TimeSpan.Zero, null, CancellationToken.None);

        using var json = JsonDocument.Parse(SweepJsonWriter.Serialize(report));
        var markdown = SweepMarkdownWriter.Render(report);
        var svg = SweepSvgWriter.Render(report);
        var html = SweepHtmlWriter.Render(report);
        Assert.Equal(report.TotalRuns, json.RootElement.GetProperty("runs").GetArrayLength());
        foreach (var variant in json.RootElement.GetProperty("variants").EnumerateArray())
        {
            var name = variant.GetProperty("variant").GetString()!;
            var boundary = variant.GetProperty("boundary");
            Assert.Contains($"data-series=\"{name}\"", svg);
            Assert.Contains($"data-series=\"{name}\"", html);
            if (boundary.GetProperty("found").GetBoolean())
            {
                var estimate = boundary.GetProperty("estimate").GetDouble();
                var text = SweepValues.Format(estimate, SweepValueKind.Duration);
                Assert.Contains($"| {name} | **{text}**", markdown);
                Assert.Contains($"data-boundary=\"{name}\"", svg);
                Assert.Contains($"{name}</text>", svg);
                Assert.Contains($"boundary {text}", svg);
                Assert.Contains(text, html);
            }
            else
            {
                Assert.Contains($"| {name} | no boundary in range", markdown);
                Assert.DoesNotContain($"data-boundary=\"{name}\"", svg);
            }
            foreach (var point in variant.GetProperty("points").EnumerateArray())
            {
                var cell = $"{point.GetProperty("failures").GetInt32()}/{point.GetProperty("trials").GetInt32()} · ";
                Assert.Contains(cell, markdown);
                Assert.Contains(cell, html);
            }
        }
    }
}
