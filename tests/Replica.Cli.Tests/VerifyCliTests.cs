using System.Text.Json;
using System.Xml.Linq;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// `replica verify` and `replica chaos run` as a user runs them: the real CLI, the reference services on real Redis
/// and PostgreSQL, faults through the proxies. Few runs here; the scenarios tier runs 20 per variant.
/// </summary>
public sealed class VerifyCliTests() : IsolatedCliTest("replica-reports-")
{
    [Fact]
    public async Task Verify_r2_reproduces_under_baseline_and_seed_fix_and_is_fixed_under_fixed_with_every_report()
    {
        var junit = Path.Combine(Out.Path, "r2.xml");
        var markdown = Path.Combine(Out.Path, "r2.md");
        var svg = Path.Combine(Out.Path, "r2.svg");

        var result = await Cli.RunAsync(["verify", "r2", "--runs", "3", "--json", "--junit", junit, "--markdown", markdown, "--timeline", svg], TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var report = JsonDocument.Parse(result.StandardOutput);
        var variants = report.RootElement.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("variant").GetString()!);
        Assert.Equal(3, variants["baseline"].GetProperty("symptoms").GetInt32());
        Assert.Equal(3, variants["seed-fix"].GetProperty("symptoms").GetInt32());
        Assert.Equal(3, variants["fixed"].GetProperty("passed").GetInt32());
        Assert.Equal("fixed", variants["fixed"].GetProperty("verdict").GetString());
        Assert.Equal(3, variants["baseline"].GetProperty("failureModes").GetProperty("close 1011 \"Service not ready: redis\"").GetInt32());
        Assert.True(report.RootElement.GetProperty("expectationsHeld").GetBoolean());

        // JUnit, read the way CI dashboards read it.
        var (code, parsed, error) = await NodeTools.RunAsync("parse-junit.mjs", [junit]);
        Assert.True(code == 0, error);
        using var totals = JsonDocument.Parse(parsed);
        Assert.Equal(3, totals.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(3, totals.RootElement.GetProperty("passed").GetInt32());
        Assert.Equal(["baseline (expect symptom)", "seed-fix (expect symptom)", "fixed (expect pass)"],
            totals.RootElement.GetProperty("suites")[0].GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        var summary = await File.ReadAllTextAsync(markdown);
        Assert.Contains("✅ expectations held", summary);
        Assert.Contains("| fixed | pass | 0/3 |", summary);

        // The picture: the 1011 close lies inside the Redis fault window.
        var picture = XDocument.Load(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var fault = picture.Descendants(ns + "rect").First(r => (string?)r.Element(ns + "title") is { } t && t.StartsWith("startup_delay on backend_redis"));
        var faultStart = double.Parse((string)fault.Attribute("x")!, System.Globalization.CultureInfo.InvariantCulture);
        var faultEnd = faultStart + double.Parse((string)fault.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture);
        var failure = picture.Descendants(ns + "text").First(t => t.Value == "close 1011 \"Service not ready: redis\"");
        var failureX = double.Parse((string)failure.Attribute("x")!, System.Globalization.CultureInfo.InvariantCulture) - 10;
        Assert.InRange(failureX, faultStart, faultEnd);
        Assert.Empty(State.Store.Names());
    }

    /// <summary>
    /// R1 and R3 through `replica verify`: in the scenarios tier (Category=Scenarios), which also verifies both at 20
    /// runs per variant. The fast tier keeps `verify` itself (R2 above, every report) and R1's and R3's races
    /// (Replica.Staging.Tests' R1DatabaseManagerTests, R3AgentSupervisorTests) and the shipped scenario files (ScenarioSchemaTests).
    /// </summary>
    [Theory]
    [Trait("Category", "Scenarios")]
    [InlineData("r1")]
    [InlineData("r3")]
    public async Task Verify_r1_and_r3_hold_their_expectations(string scenario)
    {
        var result = await Cli.RunAsync(["verify", scenario, "--runs", "2"], TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Expectations held: baseline reproduced, seed-fix reproduced, fixed fixed", result.StandardOutput);
    }

    [Fact]
    public async Task A_variant_that_does_not_do_what_it_expects_fails_verify_and_its_junit_case()
    {
        var file = Out.Write("wrong.yaml", File.ReadAllText(Path.Combine(ScenarioFiles.Directory, "r2-websocket-1011-redis-late.yaml"))
            .Replace("name: r2-websocket-1011-redis-late", "name: r2-wrong-expectation")
            .Replace("expect: pass", "expect: symptom")
            .Replace("settings:\n  backend:", $"compose: {RepositoryPaths.ComposeFile}\nsettings:\n  backend:"));
        var junit = Path.Combine(Out.Path, "wrong.xml");

        var result = await Cli.RunAsync(["verify", file, "--runs", "2", "--variants", "fixed", "--junit", junit], TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("Expectations NOT met", result.StandardOutput);
        var (_, parsed, _) = await NodeTools.RunAsync("parse-junit.mjs", [junit]);
        using var totals = JsonDocument.Parse(parsed);
        Assert.Equal(1, totals.RootElement.GetProperty("failed").GetInt32());
        Assert.Contains("not reproduced: 0/2", totals.RootElement.GetProperty("suites")[0].GetProperty("cases")[0].GetProperty("failure").GetString());
    }

    [Fact]
    public async Task A_scenario_with_a_typo_is_rejected_before_anything_starts()
    {
        var file = Out.Write("typo.yaml", ScenarioFiles.Scratch(timeline: """
              - restrt: backend
            """));

        foreach (var command in new[] { "verify", "chaos run" })
        {
            var result = await Cli.RunAsync([.. command.Split(' '), file]);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Matches(@"typo\.yaml:\d+:5: timeline\[0\]: unknown key 'restrt'", result.StandardError);
            Assert.Empty(State.Store.Names());
        }
    }

    [Fact]
    public async Task A_report_path_that_cannot_be_written_is_rejected_before_anything_starts()
    {
        var notADirectory = Out.Write("plain-file", "");

        foreach (var args in new[]
                 {
                     new[] { "verify", "r2", "--runs", "1", "--junit", Path.Combine(notADirectory, "r2.xml") },
                     ["verify", "r2", "--runs", "1", "--markdown", Out.Path],
                     ["chaos", "run", "r2", "--timeline", Path.Combine(notADirectory, "r2.svg")],
                 })
        {
            var result = await Cli.RunAsync(args, TimeSpan.FromSeconds(60));

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains($"{args[^2]}: cannot write {args[^1]}", result.StandardError);
            Assert.DoesNotContain("   at ", result.StandardError);
            Assert.DoesNotContain("Environment up", result.StandardOutput);
            Assert.Empty(State.Store.Names());
        }
    }
}
