using Replica.Chaos.Reports;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Sweeps;
using Replica.Environments.Compose;
using Replica.Tests.Support;

namespace Replica.Chaos.Tests.Sweeps;

/// <summary>Two --vary: every combination, one heatmap per variant.</summary>
public sealed class SweepHeatmapTests
{
    private static readonly string R2 = Path.Combine(ScenarioFiles.Directory, "r2-websocket-1011-redis-late.yaml");

    [Fact]
    public async Task Two_axes_run_every_combination_and_draw_one_heatmap_per_variant()
    {
        var (scenario, _) = ScenarioLoader.Load(R2);
        var plan = SweepPlan.Create(YamlFile.Load(R2), null, scenario,
            SweepDefinition.FromFlags(["timeline[3].after=0ms..1s/500ms", "settings.backend.REDIS_READY_RETRIES=1,5"], 4, null), "baseline,fixed");
        var runner = new ModelSweepRunner((variant, lateness) => variant == "fixed" ? 0 : lateness >= 500 ? 1 : 0);

        var report = await SweepEngine.RunAsync(plan, runner, 1, "model", TimeSpan.Zero, null, CancellationToken.None);

        Assert.Equal(3 * 2 * 4 * 2, runner.Requested.Count);
        Assert.All(report.Variants, v => Assert.Equal(6, v.Cells.Count));
        var retries = runner.Requested.Select(r => r.Scenario.SettingsFor(r.Variant)["backend"]["REDIS_READY_RETRIES"]).Distinct().Order();
        Assert.Equal(["1", "5"], retries);
        var svg = SweepSvgWriter.Render(report);
        Assert.Contains("<g data-series=\"baseline\">", svg);
        Assert.Contains("<g data-series=\"fixed\">", svg);
        Assert.Contains("timeline[3].after × settings.backend.REDIS_READY_RETRIES", svg);
    }
}
