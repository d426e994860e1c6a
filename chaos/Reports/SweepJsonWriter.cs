using System.Text.Json;
using System.Text.Json.Serialization;
using Replica.Chaos.Sweeps;
using Replica.Chaos.Verification;

namespace Replica.Chaos.Reports;

/// <summary>
/// A sweep as JSON: the axes, per variant every value with its counts, rate and interval, the boundary, the
/// expectations, and every run (variant, values, outcome, failure, duration). Values are numbers in the axis' unit
/// (milliseconds for a duration); each also comes as text (<c>"450ms"</c>).
/// </summary>
public static class SweepJsonWriter
{
    // The verify report's JSON conventions, plus NaN/∞ as names (a rate over no runs).
    private static readonly JsonSerializerOptions Options = new(VerificationReportJson.Options)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(SweepReport report) => JsonSerializer.Serialize(Model(report), Options);

    public static void Write(SweepReport report, string path) => File.WriteAllText(path, Serialize(report) + "\n");

    private static double? Num(double value) => double.IsNaN(value) ? null : Math.Round(value, 4);

    private static object Model(SweepReport report)
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
