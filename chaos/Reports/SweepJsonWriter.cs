using System.Text.Json;
using Replica.Chaos.Reports.SweepJson;
using Replica.Chaos.Sweeps;
using Replica.Chaos.Verification;

namespace Replica.Chaos.Reports;

/// <summary>
/// A sweep as JSON: the axes, per variant every value with its counts, rate and interval, the boundary, the
/// expectations, and every run (variant, values, outcome, failure, duration). Values are numbers in the axis' unit
/// (milliseconds for a duration); each also comes as text (<c>"450ms"</c>). The model is <see cref="SweepJsonReport"/>
/// and the records in it; their JSON metadata is generated at build time (<see cref="SweepJsonContext"/>).
/// </summary>
public static class SweepJsonWriter
{
    public static string Serialize(SweepReport report) => JsonSerializer.Serialize(Model(report), SweepJsonContext.Readable.SweepJsonReport);

    public static void Write(SweepReport report, string path) => File.WriteAllText(path, Serialize(report) + "\n");

    private static double? Num(double value) => double.IsNaN(value) ? null : Math.Round(value, 4);

    private static SweepJsonReport Model(SweepReport report)
    {
        var axes = report.Plan.Axes;
        return new SweepJsonReport(
            Scenario: report.Plan.Scenario.Name,
            Sweep: report.Plan.Name,
            Description: report.Plan.Description,
            Axes: axes.Select(a => new SweepJsonAxis(
                Path: a.Path.Text,
                Kind: a.Kind,
                Unit: a.Kind == SweepValueKind.Duration ? "ms" : null,
                Range: a.Range.Text,
                Adaptive: a.Range.Adaptive)).ToList(),
            RunsPerValue: report.Plan.Runs,
            Seed: report.Seed,
            Runtime: report.Runtime,
            Started: report.Started,
            ElapsedSeconds: Math.Round(report.Elapsed.TotalSeconds, 2),
            EnvironmentStartSeconds: Math.Round(report.EnvironmentStart.TotalSeconds, 2),
            TotalRuns: report.TotalRuns,
            ExpectationsHeld: report.ExpectationsHeld,
            Variants: report.Variants.Select(v => new SweepJsonVariant(
                Variant: v.Variant,
                Description: v.Description,
                Boundary: new SweepJsonBoundary(
                    Found: v.Boundary.Found,
                    Estimate: Num(v.Boundary.Estimate),
                    Low: Num(v.Boundary.Low),
                    High: Num(v.Boundary.High),
                    Direction: v.Boundary.Found ? (v.Boundary.Rising ? "rising" : "falling") : null,
                    Side: v.Boundary.Found ? null : v.Boundary.Side.ToString().ToLowerInvariant(),
                    Text: v.Boundary.Description),
                Points: v.Cells.Select(c => new SweepJsonPoint(
                    Values: c.Values,
                    Text: c.Values.Select((x, i) => axes[i].Format(x)).ToList(),
                    Runs: c.Runs.Count,
                    Trials: c.Trials,
                    Failures: c.Failures,
                    Symptoms: c.Symptoms,
                    OtherFailures: c.Failures - c.Symptoms,
                    Errors: c.Errors,
                    Rate: Num(c.Rate),
                    Low: Math.Round(c.Interval.Low, 4),
                    High: Math.Round(c.Interval.High, 4),
                    FailureModes: c.FailureModes)).ToList())).ToList(),
            Expectations: report.Expectations.Select(e => new SweepJsonExpectation(
                Variant: e.Expectation.Variant,
                Expect: e.Expectation.Text,
                Held: e.Held,
                Detail: e.Detail)).ToList(),
            Runs: report.Variants.SelectMany(v => v.Cells.SelectMany(c => c.Runs.Select(r => (Cell: c, Run: r))))
                .Select(x => new SweepJsonRun(
                    Variant: x.Run.Variant,
                    Values: x.Cell.Values,
                    Index: x.Run.Index,
                    Outcome: x.Run.Outcome,
                    Failed: x.Run.Outcome is RunOutcome.Symptom or RunOutcome.OtherFailure,
                    Failure: x.Run.FailureMode?.Label,
                    Error: x.Run.Error,
                    DurationMs: Math.Round(x.Run.Duration.TotalMilliseconds),
                    Copy: x.Run.Copy)).ToList());
    }
}
