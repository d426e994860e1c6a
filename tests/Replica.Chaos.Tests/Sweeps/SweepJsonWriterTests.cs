using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Replica.Chaos.Probes;
using Replica.Chaos.Reports;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Sweeps;
using Replica.Chaos.Verification;
using Replica.Environments.Compose;
using Replica.Tests.Support;

namespace Replica.Chaos.Tests.Sweeps;

/// <summary>
/// `sweep --json` against an oracle: the model <see cref="SweepJsonWriter"/> built before its JSON was generated at
/// build time (for the natively compiled `replica`), an anonymous object graph written by the reflection-based
/// serializer with the options it had. What the writer writes now is byte for byte the oracle's.
/// </summary>
public sealed class SweepJsonWriterTests
{
    private static readonly string R2 = Path.Combine(ScenarioFiles.Directory, "r2-websocket-1011-redis-late.yaml");

    /// <summary>Text the encoder leaves as it is (é, ≤, &lt;, &amp;, ') or escapes (quote, backslash, control characters, an emoji, U+2028).</summary>
    private const string Odd = "é ≤ <tag> & \"quoted\" \\ 'single' \n\t😀 \u0001 \u2028";

    /// <summary>
    /// The oracle's options: the verify report's as they were (reflection, the non-generic enum converter) and NaN/∞ as
    /// names. The resolver is the one an options instance without one gets; said here so the oracle stays reflection-based.
    /// </summary>
    private static readonly JsonSerializerOptions Oracle = new(ReflectionJsonOracle.Options(indented: true, JavaScriptEncoder.UnsafeRelaxedJsonEscaping))
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    [Theory]
    [InlineData("engine")]
    [InlineData("handmade")]
    public async Task The_json_is_byte_for_byte_what_the_reflection_serializer_wrote(string which)
    {
        var report = await ReportAsync(which);

        var written = SweepJsonWriter.Serialize(report);

        var expected = JsonSerializer.Serialize(OracleModel(report), Oracle);
        Assert.Equal(expected, written);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(written));
    }

    [Theory]
    [InlineData("engine")]
    [InlineData("handmade")]
    public async Task The_file_is_byte_for_byte_what_the_reflection_serializer_wrote_with_a_newline(string which)
    {
        var report = await ReportAsync(which);
        using var scratch = new ScratchDirectory("replica-sweep-json-");
        var path = Path.Combine(scratch.Path, "sweep.json");

        SweepJsonWriter.Write(report, path);

        Assert.Equal(new UTF8Encoding(false).GetBytes(JsonSerializer.Serialize(OracleModel(report), Oracle) + "\n"), File.ReadAllBytes(path));
    }

    [Fact]
    public async Task The_handmade_report_has_nulls_nan_rates_infinite_values_and_readable_text()
    {
        var written = SweepJsonWriter.Serialize(await ReportAsync("handmade"));

        using var json = JsonDocument.Parse(written);
        var points = json.RootElement.GetProperty("variants")[0].GetProperty("points");
        Assert.Equal(JsonValueKind.Null, points[0].GetProperty("rate").ValueKind);
        Assert.Equal("Infinity", points[1].GetProperty("values")[0].GetString());
        Assert.Equal("NaN", points[1].GetProperty("values")[1].GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("axes")[1].GetProperty("unit").ValueKind);
        Assert.Equal("number", json.RootElement.GetProperty("axes")[1].GetProperty("kind").GetString());
        Assert.Equal("otherFailure", json.RootElement.GetProperty("runs")[1].GetProperty("outcome").GetString());
        Assert.Contains("é ≤ <tag> & \\\"quoted\\\"", written);
        Assert.Contains("\\n\\t\\uD83D\\uDE00 \\u0001 \\u2028", written);
    }

    private static async Task<SweepReport> ReportAsync(string which) => which switch
    {
        "engine" => await EngineReportAsync(),
        "handmade" => Handmade(),
        _ => throw new ArgumentOutOfRangeException(nameof(which), which, null),
    };

    /// <summary>A sweep as the engine makes one: R2's adaptive sweep on a model of its race (a boundary near 480 ms, none for the fix).</summary>
    private static async Task<SweepReport> EngineReportAsync()
    {
        var (scenario, _) = ScenarioLoader.Load(R2);
        var file = YamlFile.Load(R2);
        var plan = SweepPlan.Create(file, null, scenario, SweepFileReader.Named(file, "redis-lateness"), null);
        var runner = new ModelSweepRunner((variant, lateness) => variant == "fixed" ? 0 : 1 / (1 + Math.Exp(-(lateness - 480) / 8)));
        var report = await SweepEngine.RunAsync(plan, runner, 1, "model", TimeSpan.FromMilliseconds(1234.5678), null, CancellationToken.None);
        return report with { Started = new DateTimeOffset(2024, 2, 29, 23, 59, 59, 123, TimeSpan.FromHours(-3.5)).AddTicks(4567), Elapsed = TimeSpan.FromSeconds(61.23456) };
    }

    /// <summary>
    /// Two axes (a duration and a number) and every case the model has: a value with no runs (NaN rate), ∞ and NaN
    /// values, every outcome, boundaries rising, falling and not found, no sweep name, odd text everywhere.
    /// </summary>
    private static SweepReport Handmade()
    {
        var (scenario, _) = ScenarioLoader.Load(R2);
        var definition = SweepDefinition.FromFlags(["timeline[3].after=0ms..1s/500ms", "settings.backend.REDIS_READY_RETRIES=1,5"], 3, null);
        var plan = SweepPlan.Create(YamlFile.Load(R2), null, scenario, definition, "baseline,fixed");
        plan = plan with { Scenario = plan.Scenario with { Name = Odd }, Description = $"described: {Odd}" };

        var close = new FailureMode(FailureKind.WebSocketClosed, 1011, $"Service not ready: {Odd}");
        var timeout = new FailureMode(FailureKind.Timeout, AfterFrames: ["system_message", "ping é"]);
        var empty = new SweepCell("baseline", [0, 1]);
        var odd = new SweepCell("baseline", [double.PositiveInfinity, double.NaN]);
        odd.Add(new RunResult("baseline", 1, 7, RunOutcome.Symptom, close, [], [], TimeSpan.FromMilliseconds(1234.5), Copy: "verify-r2-1"));
        odd.Add(new RunResult("baseline", 2, 7, RunOutcome.OtherFailure, timeout, [], [], TimeSpan.FromMilliseconds(0.4999)));
        odd.Add(new RunResult("baseline", 3, 7, RunOutcome.Error, null, [], [], TimeSpan.FromDays(2), Error: $"could not restart: {Odd}", Copy: "verify-r2-2"));
        odd.Add(new RunResult("baseline", 4, 7, RunOutcome.Passed, null, [], [], TimeSpan.FromMilliseconds(10)));
        var late = new SweepCell("baseline", [1000, 5]);
        late.Add(new RunResult("baseline", 1, 7, RunOutcome.Symptom, null, [], [], TimeSpan.FromMilliseconds(2.5)));
        late.Add(new RunResult("baseline", 2, 7, RunOutcome.Symptom, close, [], [], TimeSpan.FromMilliseconds(3.5)));
        var quiet = new SweepCell("fixed", [500.123456789, 1.23456]);
        quiet.Add(new RunResult("fixed", 1, 7, RunOutcome.Passed, null, [], [], TimeSpan.FromMilliseconds(99.5), Copy: Odd));
        var flat = new SweepCell("fixed", [1000, 1]);
        flat.Add(new RunResult("fixed", 1, 7, RunOutcome.Passed, null, [], [], TimeSpan.FromMilliseconds(100.5)));

        SweepVariantResult[] variants =
        [
            new("baseline", $"the seed code: {Odd}", [empty, odd, late], new SweepBoundary(true, 480.123456, 250.00005, 1000, true, SweepSide.Unsure, 2, $"fails from 480ms {Odd}")),
            new("fixed", null, [quiet, flat], new SweepBoundary(false, double.NaN, double.NaN, double.NaN, false, SweepSide.Below, 0, "no boundary in range: below 50 % at every value")),
            new("seed-fix", "", [], new SweepBoundary(true, 1.0 / 3, 0, 2, false, SweepSide.Above, 1, "passes from 0ms")),
            new("undecided", Odd, [], new SweepBoundary(false, double.NaN, double.NaN, double.NaN, true, SweepSide.Unsure, 0, "undecided")),
        ];
        SweepExpectationResult[] expectations =
        [
            new(new SweepExpectation("baseline", SweepExpectationKind.BoundaryAtMost, 625, null, "boundary_at_most: 625ms"), true, $"boundary at 480ms {Odd}"),
            new(new SweepExpectation("fixed", SweepExpectationKind.SameBoundaryAs, 0, "baseline", $"same_boundary_as: {Odd}"), false, ""),
        ];
        return new SweepReport(plan, variants, expectations, long.MinValue, "process é",
            new DateTimeOffset(2024, 2, 29, 23, 59, 59, 123, TimeSpan.FromHours(5.5)).AddTicks(4567), TimeSpan.FromSeconds(3723.456789), TimeSpan.FromMilliseconds(812.3456));
    }

    private static double? Num(double value) => double.IsNaN(value) ? null : Math.Round(value, 4);

    /// <summary>SweepJsonWriter's model as it was (an anonymous object graph, written by reflection): the oracle.</summary>
    private static object OracleModel(SweepReport report)
    {
        var axes = report.Plan.Axes;
        return new
        {
            scenario = report.Plan.Scenario.Name,
            sweep = report.Plan.Name,
            description = report.Plan.Description,
            axes = axes.Select(a => new { path = a.Path.Text, kind = a.Kind, unit = a.Kind == SweepValueKind.Duration ? "ms" : null, range = a.Range.Text, adaptive = a.Range.Adaptive }),
            runsPerValue = report.Plan.Runs,
            seed = report.Seed,
            runtime = report.Runtime,
            started = report.Started,
            elapsedSeconds = Math.Round(report.Elapsed.TotalSeconds, 2),
            environmentStartSeconds = Math.Round(report.EnvironmentStart.TotalSeconds, 2),
            totalRuns = report.TotalRuns,
            expectationsHeld = report.ExpectationsHeld,
            variants = report.Variants.Select(v => new
            {
                variant = v.Variant,
                description = v.Description,
                boundary = new
                {
                    found = v.Boundary.Found,
                    estimate = Num(v.Boundary.Estimate),
                    low = Num(v.Boundary.Low),
                    high = Num(v.Boundary.High),
                    direction = v.Boundary.Found ? (v.Boundary.Rising ? "rising" : "falling") : null,
                    side = v.Boundary.Found ? null : v.Boundary.Side.ToString().ToLowerInvariant(),
                    text = v.Boundary.Description,
                },
                points = v.Cells.Select(c => new
                {
                    values = c.Values,
                    text = c.Values.Select((x, i) => axes[i].Format(x)),
                    runs = c.Runs.Count,
                    trials = c.Trials,
                    failures = c.Failures,
                    symptoms = c.Symptoms,
                    otherFailures = c.Failures - c.Symptoms,
                    errors = c.Errors,
                    rate = Num(c.Rate),
                    low = Math.Round(c.Interval.Low, 4),
                    high = Math.Round(c.Interval.High, 4),
                    failureModes = c.FailureModes,
                }),
            }),
            expectations = report.Expectations.Select(e => new { variant = e.Expectation.Variant, expect = e.Expectation.Text, held = e.Held, detail = e.Detail }),
            runs = report.Variants.SelectMany(v => v.Cells.SelectMany(c => c.Runs.Select(r => (Cell: c, Run: r))))
                .Select(x => new
                {
                    variant = x.Run.Variant,
                    values = x.Cell.Values,
                    index = x.Run.Index,
                    outcome = x.Run.Outcome,
                    failed = x.Run.Outcome is RunOutcome.Symptom or RunOutcome.OtherFailure,
                    failure = x.Run.FailureMode?.Label,
                    error = x.Run.Error,
                    durationMs = Math.Round(x.Run.Duration.TotalMilliseconds),
                    copy = x.Run.Copy,
                }),
        };
    }
}
