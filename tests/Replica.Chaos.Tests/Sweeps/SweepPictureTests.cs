using System.Diagnostics;
using Replica.Chaos.Reports;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Sweeps;
using Replica.Environments.Compose;
using Replica.Tests.Support;

namespace Replica.Chaos.Tests.Sweeps;

/// <summary>
/// The sweep's HTML report and SVG chart as a reader sees them: the HTML opened offline in a real headless Chromium
/// (Debian's), the SVG rendered by rsvg-convert. The sweep's data comes from <see cref="ModelSweepRunner"/> (a fake
/// with R2's shape) so the picture is known; the real race's reports are checked in the CLI tests. Browser tier.
/// </summary>
[Trait("Category", HeadlessChromium.Category)]
public sealed class SweepPictureTests
{
    private static readonly string R2 = Path.Combine(ScenarioFiles.Directory, "r2-websocket-1011-redis-late.yaml");

    private static async Task<SweepReport> R2LikeReportAsync()
    {
        var (scenario, _) = ScenarioLoader.Load(R2);
        var file = YamlFile.Load(R2);
        var plan = SweepPlan.Create(file, null, scenario, SweepFileReader.Named(file, "redis-lateness"), null);
        var runner = new ModelSweepRunner((variant, lateness) => variant == "fixed" ? 0 : 1 / (1 + Math.Exp(-(lateness - 450) / 10)));
        return await SweepEngine.RunAsync(plan, runner, 42, "model", TimeSpan.Zero, null, CancellationToken.None);
    }

    [Fact]
    public async Task Chromium_draws_one_line_per_variant_with_its_band_and_the_boundaries_where_the_report_puts_them()
    {
        var report = await R2LikeReportAsync();
        using var scratch = new ScratchDirectory();
        var html = scratch.Write("sweep.html", SweepHtmlWriter.Render(report));
        using var chromium = new HeadlessChromium();

        await chromium.OpenAsync(new Uri(html).AbsoluteUri);

        var series = (IReadOnlyCollection<object>)chromium.Script("return [...document.querySelectorAll('svg [data-series]')].map(e => e.getAttribute('data-series'))")!;
        Assert.Equal(["baseline", "seed-fix", "fixed"], series.Cast<string>());
        var bands = (long)chromium.Script("return document.querySelectorAll('svg polygon[data-band]').length")!;
        Assert.Equal(3, bands);
        var boundaries = (IReadOnlyCollection<object>)chromium.Script("return [...document.querySelectorAll('svg [data-boundary]')].map(e => e.getAttribute('data-boundary'))")!;
        Assert.Equal(["baseline", "seed-fix"], boundaries.Cast<string>());
        // The baseline's boundary line stands where its value is on the x axis: 450 ms of 0–2 s, a little left of a quarter.
        var place = (IReadOnlyDictionary<string, object>)chromium.Script("""
            const svg = document.querySelector('svg'); const plot = [...svg.querySelectorAll('line')].find(l => l.getAttribute('stroke') === '#333' && l.getAttribute('y1') === l.getAttribute('y2'));
            const line = svg.querySelector('[data-boundary="baseline"]');
            return { left: plot.getBBox().x, width: plot.getBBox().width, x: line.getBBox().x };
            """)!;
        var share = (Convert.ToDouble(place["x"]) - Convert.ToDouble(place["left"])) / Convert.ToDouble(place["width"]);
        Assert.InRange(share, 0.18, 0.27);
        var axis = (string)chromium.Script("return document.querySelector('svg [data-axis=x]').textContent")!;
        Assert.StartsWith("timeline[3].after", axis);
        var text = (string)chromium.Script("return document.body.innerText")!;
        Assert.Contains("no boundary in range: below 50 % at every value", text);
        Assert.Contains("Expectations held", text);
        var png = chromium.Screenshot(Path.Combine(RepositoryPaths.Root, "artifacts", "test-results", "sweep-chromium.png"));
        Assert.True(new FileInfo(png).Length > 20_000, "the screenshot is a chart, not an empty page");
    }

    [Fact]
    public async Task Rsvg_convert_renders_the_sweep_chart_to_a_picture()
    {
        var report = await R2LikeReportAsync();
        using var scratch = new ScratchDirectory();
        var svg = scratch.Write("sweep.svg", SweepSvgWriter.Render(report));
        var png = Path.Combine(RepositoryPaths.Root, "artifacts", "test-results", "sweep-rsvg.png");
        Directory.CreateDirectory(Path.GetDirectoryName(png)!);

        var rsvg = await ChildProcess.RunAsync(new ProcessStartInfo("rsvg-convert", ["-o", png, svg]), "rsvg-convert", TimeSpan.FromSeconds(60));

        Assert.True(rsvg.ExitCode == 0, $"rsvg-convert: {rsvg}");
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.True(bytes.Length > 15_000, $"a {bytes.Length}-byte PNG is too small to hold the chart");
    }
}
