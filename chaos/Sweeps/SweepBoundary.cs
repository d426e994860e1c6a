namespace Replica.Chaos.Sweeps;

/// <summary>
/// Where a variant's failure rate crosses 50 % along the first axis. <see cref="Low"/>..<see cref="High"/> spans the
/// last value whose 95 % interval lies wholly on one side of 50 % and the first whose interval lies wholly on the
/// other; <see cref="Estimate"/> interpolates the observed rates between them. When the rate never crosses,
/// <see cref="Found"/> is false and <see cref="Side"/> says on which side of 50 % the whole range lies.
/// </summary>
public sealed record SweepBoundary(
    bool Found,
    double Estimate,
    double Low,
    double High,
    bool Rising,
    SweepSide Side,
    int Crossings,
    string Description)
{
    /// <summary>Finds the boundary in a variant's cells along the first axis (any order).</summary>
    public static SweepBoundary Of(IEnumerable<SweepCell> cells, SweepAxis axis)
    {
        var sorted = cells.Where(c => c.Trials > 0).OrderBy(c => c.X).ToList();
        var sure = sorted.Where(c => c.Side != SweepSide.Unsure).ToList();
        var changes = sure.Zip(sure.Skip(1)).Where(p => p.First.Side != p.Second.Side).ToList();
        if (changes.Count > 0)
        {
            var (a, b) = changes[0];
            var rising = a.Side == SweepSide.Below;
            var estimate = Cross(sorted.Where(c => c.X >= a.X && c.X <= b.X).ToList(), rising);
            var note = changes.Count > 1 ? $"; the rate crosses 50 % {changes.Count} times, the first is shown" : "";
            return new SweepBoundary(true, estimate, a.X, b.X, rising, SweepSide.Unsure, changes.Count,
                $"{(rising ? "fails from" : "passes from")} {axis.Format(estimate)} (between {axis.Format(a.X)} and {axis.Format(b.X)}){note}");
        }
        if (sorted.Count == 0)
        {
            return new SweepBoundary(false, double.NaN, double.NaN, double.NaN, false, SweepSide.Unsure, 0, "no runs");
        }
        // No sure change. An unsure value at an end of the range with the rate on the other side of 50 % may be the
        // boundary's edge: report it open to that end rather than "none".
        var side = sure.Count > 0 ? sure[0].Side : (sorted.All(c => c.Rate < 0.5) ? SweepSide.Below : sorted.All(c => c.Rate >= 0.5) ? SweepSide.Above : SweepSide.Unsure);
        if (side == SweepSide.Unsure)
        {
            return new SweepBoundary(false, double.NaN, double.NaN, double.NaN, false, SweepSide.Unsure, 0,
                "undecided: no value's failure rate is surely above or below 50 % (more runs would tell)");
        }
        if (sure.Count > 0)
        {
            bool OtherSide(SweepCell c) => side == SweepSide.Below ? c.Rate >= 0.5 : c.Rate < 0.5;
            (double Low, double High, bool Rising)? open =
                sorted.Any(c => c.X > sure[^1].X && OtherSide(c)) ? (sure[^1].X, sorted[^1].X, side == SweepSide.Below)
                : sorted.Any(c => c.X < sure[0].X && OtherSide(c)) ? (sorted[0].X, sure[0].X, side == SweepSide.Above)
                : null;
            if (open is { } o)
            {
                var estimate = Cross(sorted.Where(c => c.X >= o.Low && c.X <= o.High).ToList(), o.Rising);
                return new SweepBoundary(true, estimate, o.Low, o.High, o.Rising, SweepSide.Unsure, 1,
                    $"{(o.Rising ? "fails from" : "passes from")} about {axis.Format(estimate)} (between {axis.Format(o.Low)} and {axis.Format(o.High)}, the range's end: not sure there)");
            }
        }
        var max = sorted.Max(c => c.Rate);
        var min = sorted.Min(c => c.Rate);
        return new SweepBoundary(false, double.NaN, double.NaN, double.NaN, false, side, 0,
            side == SweepSide.Below
                ? $"no boundary in range: below 50 % at every value (at most {max * 100:0} %)"
                : $"no boundary in range: above 50 % at every value (at least {min * 100:0} %)");
    }

    /// <summary>The first place, in value order, where the observed rate reaches 50 %, interpolated linearly.</summary>
    private static double Cross(IReadOnlyList<SweepCell> cells, bool rising)
    {
        for (var i = 0; i + 1 < cells.Count; i++)
        {
            var (p, q) = (cells[i], cells[i + 1]);
            var reached = rising ? q.Rate >= 0.5 : q.Rate < 0.5;
            if (!reached)
            {
                continue;
            }
            var (rp, rq) = (p.Rate, q.Rate);
            if (Math.Abs(rq - rp) < 1e-9)
            {
                return (p.X + q.X) / 2;
            }
            var t = Math.Clamp((0.5 - rp) / (rq - rp), 0, 1);
            return p.X + t * (q.X - p.X);
        }
        return (cells[0].X + cells[^1].X) / 2;
    }
}
