using System.Diagnostics;
using Replica.Chaos.Verification;

namespace Replica.Chaos.Sweeps;

/// <summary>
/// Runs a sweep. Fixed ranges (a grid, a list, two axes): every value, <see cref="SweepPlan.Runs"/> runs per variant.
/// <c>auto:</c> on one axis is adaptive, in rounds:
/// <list type="number">
/// <item>a coarse grid (<see cref="SweepRange.CoarsePoints"/> values, ends included), <c>Runs</c> runs each;</item>
/// <item>then per variant, each round: a value whose 95 % Wilson interval still contains 50 % gets <c>Runs</c> more runs
/// (up to <see cref="MaxRunsPerValue"/>); and between the last value surely below 50 % and the first surely above it
/// (the bracket), a new value is tried in the widest gap, until the gaps are no wider than the resolution
/// (the range / <see cref="ResolutionDivisions"/>);</item>
/// <item>it stops when no variant asks for more, or a variant reaches <see cref="MaxRunsPerVariant"/>.</item>
/// </list>
/// So runs go where the rate changes; a variant flat across the range costs only its coarse grid.
/// </summary>
public static class SweepEngine
{
    public const int MaxRunsPerValue = 8;
    public const int MaxRunsPerVariant = 120;
    public const int ResolutionDivisions = 32;

    public static async Task<SweepReport> RunAsync(
        SweepPlan plan, ISweepRunner runner, long seed, string runtime, TimeSpan environmentStart,
        Action<SweepProgress>? onProgress, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var cells = plan.Variants.ToDictionary(v => v.Name, _ => new List<SweepCell>());
        var axis = plan.Axes[0];
        var resolution = (axis.Range.High - axis.Range.Low) / ResolutionDivisions;
        if (axis.Kind == SweepValueKind.Duration)
        {
            resolution = Math.Max(1, resolution);
        }
        var done = 0;
        var round = 0;
        var batch = new List<SweepRunRequest>();
        foreach (var variant in plan.Variants)
        {
            foreach (var point in plan.FirstPoints)
            {
                var cell = new SweepCell(variant.Name, point);
                cells[variant.Name].Add(cell);
                batch.AddRange(Requests(plan, variant, cell, plan.Runs));
            }
        }
        while (batch.Count > 0)
        {
            round++;
            var planned = done + batch.Count;
            await runner.RunAsync(batch, (request, result) =>
            {
                cells[request.Variant.Name].First(c => c.Values.SequenceEqual(request.Values)).Add(result);
                done++;
                onProgress?.Invoke(new SweepProgress(round, done, planned, Results(plan, cells), request, result));
            }, cancellationToken);
            batch = [];
            if (!plan.Adaptive)
            {
                break;
            }
            foreach (var variant in plan.Variants)
            {
                var mine = cells[variant.Name];
                if (mine.Sum(c => c.Runs.Count) >= MaxRunsPerVariant)
                {
                    continue;
                }
                batch.AddRange(Refine(plan, variant, mine, resolution));
            }
        }
        var results = Results(plan, cells);
        var expectations = plan.Expectations.Select(e => e.Check(results, axis)).ToList();
        return new SweepReport(plan, results, expectations, seed, runtime, started, clock.Elapsed + environmentStart, environmentStart);
    }

    /// <summary>One round's further runs for a variant: more runs where unsure, a new value in the bracket's widest gap.</summary>
    private static IEnumerable<SweepRunRequest> Refine(SweepPlan plan, Scenarios.ScenarioVariant variant, List<SweepCell> cells, double resolution)
    {
        var requests = new List<SweepRunRequest>();
        var sorted = cells.OrderBy(c => c.X).ToList();
        foreach (var cell in sorted.Where(c => c.Side == SweepSide.Unsure && c.Runs.Count < MaxRunsPerValue))
        {
            requests.AddRange(Requests(plan, variant, cell, Math.Min(plan.Runs, MaxRunsPerValue - cell.Runs.Count)));
        }
        var sure = sorted.Where(c => c.Side != SweepSide.Unsure).ToList();
        var change = sure.Zip(sure.Skip(1)).FirstOrDefault(p => p.First.Side != p.Second.Side);
        (double Low, double High)? bracket = change.First is not null ? (change.First.X, change.Second.X) : OpenBracket(sorted, sure);
        if (bracket is { } b)
        {
            var inside = sorted.Where(c => c.X >= b.Low && c.X <= b.High).ToList();
            var gap = inside.Zip(inside.Skip(1)).OrderByDescending(p => p.Second.X - p.First.X).FirstOrDefault();
            if (gap.First is not null && gap.Second.X - gap.First.X > resolution)
            {
                var middle = SweepRange.Snap((gap.First.X + gap.Second.X) / 2, plan.Axes[0].Kind);
                if (middle > gap.First.X && middle < gap.Second.X)
                {
                    var cell = new SweepCell(variant.Name, [middle]);
                    cells.Add(cell);
                    requests.AddRange(Requests(plan, variant, cell, plan.Runs));
                }
            }
        }
        return requests;
    }

    /// <summary>No sure change yet, but a value at an end of the range on the other side of 50 %: refine between it and the nearest sure value.</summary>
    private static (double Low, double High)? OpenBracket(List<SweepCell> sorted, List<SweepCell> sure)
    {
        if (sure.Count == 0 || sorted.Count < 2)
        {
            return null;
        }
        var side = sure[0].Side;
        bool Other(SweepCell c) => side == SweepSide.Below ? c.Rate >= 0.5 : c.Rate < 0.5;
        var high = sorted.Where(c => c.X > sure[^1].X && Other(c)).ToList();
        if (high.Count > 0)
        {
            return (sure[^1].X, high[0].X);
        }
        var low = sorted.Where(c => c.X < sure[0].X && Other(c)).ToList();
        return low.Count > 0 ? (low[^1].X, sure[0].X) : null;
    }

    private static IEnumerable<SweepRunRequest> Requests(SweepPlan plan, Scenarios.ScenarioVariant variant, SweepCell cell, int count)
    {
        var scenario = plan.Scenarios.At(cell.Values, "sweep");
        var first = cell.Runs.Count + 1;
        return Enumerable.Range(first, count).Select(i => new SweepRunRequest(variant, scenario, cell.Values, i));
    }

    private static List<SweepVariantResult> Results(SweepPlan plan, Dictionary<string, List<SweepCell>> cells) =>
        plan.Variants.Select(v =>
        {
            var mine = cells[v.Name].OrderBy(c => c.X).ThenBy(c => c.Values.Count > 1 ? c.Values[1] : 0).ToList();
            var boundary = plan.Axes.Count == 1
                ? SweepBoundary.Of(mine, plan.Axes[0])
                : new SweepBoundary(false, double.NaN, double.NaN, double.NaN, false, SweepSide.Unsure, 0, "two axes: see the heatmap");
            return new SweepVariantResult(v.Name, v.Description, mine, boundary);
        }).ToList();
}
