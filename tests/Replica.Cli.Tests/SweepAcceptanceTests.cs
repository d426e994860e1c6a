using System.Text.Json;
using System.Xml.Linq;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// The shipped R2 lateness sweep on the real services, as a user runs it (`replica sweep r2 redis-lateness`): where
/// baseline and seed-fix start failing, that fixed never does, and that every report says the same. The boundary is
/// a race's timing, so the test runs alone (<see cref="MeasuredAloneCollection"/>) in the scenarios tier.
/// </summary>
[Collection(MeasuredAloneCollection.Name)]
public sealed class SweepAcceptanceTests() : IsolatedCliTest("replica-sweep-")
{
    [Fact]
    [Trait("Category", "Scenarios")]
    public async Task The_R2_lateness_sweep_finds_one_boundary_for_baseline_and_seed_fix_near_retries_times_interval_and_none_for_fixed()
    {
        var (json, html, svg, md, xml) = (OutFile("r2.json"), OutFile("r2.html"), OutFile("r2.svg"), OutFile("r2.md"), OutFile("r2.xml"));

        var result = await Cli.RunAsync(["sweep", "r2", "redis-lateness", "--json", "--html", html, "--svg", svg, "--markdown", md, "--junit", xml], TimeSpan.FromMinutes(20));
        await File.WriteAllTextAsync(json, result.StandardOutput);
        KeepForInspection(json, html, svg, md);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var report = JsonDocument.Parse(result.StandardOutput);
        var variants = report.RootElement.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("variant").GetString()!);
        var window = 5 * 100.0; // REDIS_READY_RETRIES × REDIS_READY_RETRY_INTERVAL in the scenario's settings
        // Lateness is counted from the probe's open WebSocket, where the validator starts; Redis counts as back only once
        // the backend has reconnected (REDIS_RECONNECT_BACKOFF_MAX 100 ms, then a connect and handshake, ≤ 100 ms more).
        var reconnect = 100.0 + 100.0;
        var boundaries = new Dictionary<string, (double Estimate, double Low, double High)>();
        foreach (var name in new[] { "baseline", "seed-fix" })
        {
            var b = variants[name].GetProperty("boundary");
            Assert.True(b.GetProperty("found").GetBoolean(), $"{name}: {b}");
            boundaries[name] = (b.GetProperty("estimate").GetDouble(), b.GetProperty("low").GetDouble(), b.GetProperty("high").GetDouble());
            Assert.InRange(boundaries[name].Estimate, window - reconnect, window * 1.25);
        }
        // The two boundaries agree within their intervals: 30 s → 60 s does not move it.
        Assert.True(boundaries["baseline"].Low <= boundaries["seed-fix"].High && boundaries["seed-fix"].Low <= boundaries["baseline"].High,
            $"baseline {boundaries["baseline"]}, seed-fix {boundaries["seed-fix"]}");
        Assert.False(variants["fixed"].GetProperty("boundary").GetProperty("found").GetBoolean());
        Assert.All(variants["fixed"].GetProperty("points").EnumerateArray(), p => Assert.Equal(0, p.GetProperty("failures").GetInt32()));
        Assert.True(report.RootElement.GetProperty("expectationsHeld").GetBoolean());

        // Every report says the same.
        var markdown = await File.ReadAllTextAsync(md);
        var chart = await File.ReadAllTextAsync(svg);
        var page = await File.ReadAllTextAsync(html);
        foreach (var (name, b) in boundaries)
        {
            var text = Format(b.Estimate);
            Assert.Contains($"| {name} | **{text}** ({Format(b.Low)}–{Format(b.High)})", markdown);
            Assert.Contains($"data-boundary=\"{name}\"", chart);
            Assert.Contains($"boundary {text}", chart);
            Assert.Contains($"boundary {text}", page);
        }
        Assert.Contains("| fixed | no boundary in range: below 50 % at every value", markdown);
        Assert.Contains("✅ expectations held", markdown);
        Assert.Contains("timeline[3].after", chart);
        var junit = XDocument.Load(xml);
        Assert.Equal(3, junit.Descendants("testcase").Count());
        Assert.Empty(junit.Descendants("failure"));
        Assert.Empty(State.Store.Names());
    }

    private string OutFile(string name) => Path.Combine(Out.Path, name);

    /// <summary>The reports of the real sweep, kept under artifacts/test-results/ for a reader (and CI) to look at.</summary>
    private static void KeepForInspection(params string[] files)
    {
        var results = Path.Combine(RepositoryPaths.Root, "artifacts", "test-results");
        Directory.CreateDirectory(results);
        foreach (var file in files.Where(File.Exists))
        {
            File.Copy(file, Path.Combine(results, "sweep-r2-redis-lateness" + Path.GetExtension(file)), overwrite: true);
        }
    }

    private static string Format(double ms) =>
        Math.Round(ms) >= 1000 ? (Math.Round(ms) / 1000).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "s" : Math.Round(ms).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "ms";
}
