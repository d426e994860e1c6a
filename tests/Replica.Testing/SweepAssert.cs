using Replica.Chaos.Sweeps;
using Xunit.Sdk;

namespace Replica.Testing;

/// <summary>
/// A sweep as an xUnit assertion for CI: where a variant's failure rate crosses 50 %, stated as at least, at most, or
/// unchanged between two variants. Values are written as in a scenario (<c>1.5s</c>, <c>600ms</c>, <c>12</c>).
/// The message says what the sweep found.
/// </summary>
public static class SweepAssert
{
    /// <summary>The boundary is at least <paramref name="value"/> (a rate below 50 % across the whole range counts: the boundary lies beyond it).</summary>
    public static void BoundaryAtLeast(SweepReport report, string variant, string value) =>
        Check(report, new SweepExpectation(variant, SweepExpectationKind.BoundaryAtLeast, Parse(report, value), null, $"boundary_at_least: {value}"));

    /// <summary>A boundary is found and is at most <paramref name="value"/>.</summary>
    public static void BoundaryAtMost(SweepReport report, string variant, string value) =>
        Check(report, new SweepExpectation(variant, SweepExpectationKind.BoundaryAtMost, Parse(report, value), null, $"boundary_at_most: {value}"));

    /// <summary>The two variants' boundaries agree within their intervals (a change that does not move the window).</summary>
    public static void BoundaryUnchanged(SweepReport report, string variant, string other) =>
        Check(report, new SweepExpectation(variant, SweepExpectationKind.SameBoundaryAs, 0, other, $"same_boundary_as: {other}"));

    /// <summary>The variant's rate stays on one side of 50 % across the range.</summary>
    public static void NoBoundary(SweepReport report, string variant) =>
        Check(report, new SweepExpectation(variant, SweepExpectationKind.NoBoundary, 0, null, "no_boundary: true"));

    /// <summary>Every expectation the sweep states in the scenario file held.</summary>
    public static void ExpectationsHeld(SweepReport report)
    {
        var failed = report.Expectations.Where(e => !e.Held).ToList();
        if (failed.Count > 0)
        {
            throw new XunitException($"{report.Title}: {string.Join("; ", failed.Select(e => $"{e.Expectation.Variant} {e.Expectation.Text}: {e.Detail}"))}");
        }
    }

    private static double Parse(SweepReport report, string value)
    {
        var axis = report.Plan.Axes[0];
        return SweepValues.TryParse(value, axis.Kind, out var parsed, out _, out var error)
            ? parsed
            : throw new ArgumentException($"{value}: {error} ({axis.Path.Text})", nameof(value));
    }

    private static void Check(SweepReport report, SweepExpectation expectation)
    {
        var result = expectation.Check(report.Variants, report.Plan.Axes[0]);
        if (!result.Held)
        {
            throw new XunitException($"{report.Title}: {expectation.Variant} {expectation.Text} did not hold: {result.Detail}");
        }
    }
}
