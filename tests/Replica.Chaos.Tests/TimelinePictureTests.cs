using System.Diagnostics;
using Replica.Chaos.Reports;
using Replica.Chaos.Verification;
using Replica.Tests.Support;

namespace Replica.Chaos.Tests;

/// <summary>
/// The run timeline users open after a failed verify (--timeline), looked at the way they look at it: rendered by a
/// real browser (Debian's Chromium) and by rsvg-convert. Browser tier.
/// </summary>
[Trait("Category", HeadlessChromium.Category)]
public sealed class TimelinePictureTests
{
    private static readonly RunResult Run = new(
        "baseline", 3, 42, RunOutcome.Symptom, null, [],
        [
            new TimelineEvent(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1400), "backend_redis", "fault", "redis refuses <connections>"),
            new TimelineEvent(TimeSpan.FromMilliseconds(300), null, "backend", "service", "healthy"),
        ],
        TimeSpan.FromSeconds(2));

    [Fact]
    public async Task Chromium_draws_the_fault_window_where_the_timeline_puts_it_and_escapes_labels()
    {
        using var scratch = new ScratchDirectory();
        var svg = scratch.Write("timeline.svg", TimelineSvgWriter.Build("r2-websocket-1011-redis-late", Run));
        using var chromium = new HeadlessChromium();

        await chromium.OpenAsync(new Uri(svg).AbsoluteUri);

        var texts = (string)chromium.Script("return [...document.querySelectorAll('text')].map(t => t.textContent).join('\\n')")!;
        Assert.Contains("r2-websocket-1011-redis-late · variant baseline · run 3 · seed 42", texts);
        Assert.Contains("redis refuses <connections>", texts); // shown as text: the label was escaped, not parsed as markup
        // The fault window spans 100–1400 ms of a 2 s run: it starts left of the middle of the plot and is wide.
        var box = (IReadOnlyDictionary<string, object>)chromium.Script(
            "const r = [...document.querySelectorAll('rect')].find(e => e.getAttribute('fill') === '#fb8f44'); const b = r.getBBox(); return { x: b.x, width: b.width };")!;
        Assert.InRange(Convert.ToDouble(box["x"]), 170, 600);
        Assert.InRange(Convert.ToDouble(box["width"]), 300, 900);
        var png = chromium.Screenshot(Path.Combine(RepositoryPaths.Root, "artifacts", "test-results", "timeline-chromium.png"));
        Assert.True(new FileInfo(png).Length > 5_000, "the screenshot is a picture, not an empty page");
    }

    [Fact]
    public async Task Rsvg_convert_renders_the_timeline_to_a_picture()
    {
        using var scratch = new ScratchDirectory();
        var svg = scratch.Write("timeline.svg", TimelineSvgWriter.Build("r2", Run));
        var png = Path.Combine(scratch.Path, "timeline.png");

        var rsvg = await ChildProcess.RunAsync(new ProcessStartInfo("rsvg-convert", ["-o", png, svg]), "rsvg-convert", TimeSpan.FromSeconds(60));

        Assert.True(rsvg.ExitCode == 0, $"rsvg-convert: {rsvg}");
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.True(bytes.Length > 5_000, $"a {bytes.Length}-byte PNG is too small to hold the timeline");
    }
}
