namespace Replica.Chaos.Sweeps;

/// <summary>One requirement on one variant's curve; <see cref="Text"/> is how the sweep wrote it.</summary>
public sealed record SweepExpectation(string Variant, SweepExpectationKind Kind, double Value, string? Other, string Text)
{
    /// <summary>Checks the requirement against the variants' results.</summary>
    public SweepExpectationResult Check(IReadOnlyList<SweepVariantResult> variants, SweepAxis axis)
    {
        var mine = variants.FirstOrDefault(v => v.Variant == Variant);
        if (mine is null)
        {
            return new SweepExpectationResult(this, false, $"variant {Variant} was not swept");
        }
        var b = mine.Boundary;
        switch (Kind)
        {
            case SweepExpectationKind.BoundaryAtLeast:
                if (b.Found)
                {
                    return new SweepExpectationResult(this, b.Estimate >= Value, $"boundary at {axis.Format(b.Estimate)} ({axis.Format(b.Low)}–{axis.Format(b.High)})");
                }
                return new SweepExpectationResult(this, b.Side == SweepSide.Below && Value <= axis.Range.High, b.Description);
            case SweepExpectationKind.BoundaryAtMost:
                return b.Found
                    ? new SweepExpectationResult(this, b.Estimate <= Value, $"boundary at {axis.Format(b.Estimate)} ({axis.Format(b.Low)}–{axis.Format(b.High)})")
                    : new SweepExpectationResult(this, false, b.Description);
            case SweepExpectationKind.SameBoundaryAs:
            {
                var other = variants.FirstOrDefault(v => v.Variant == Other);
                if (other is null)
                {
                    return new SweepExpectationResult(this, false, $"variant {Other} was not swept");
                }
                var o = other.Boundary;
                if (b.Found && o.Found)
                {
                    var overlap = b.Low <= o.High && o.Low <= b.High;
                    return new SweepExpectationResult(this, overlap,
                        $"{Variant} {axis.Format(b.Low)}–{axis.Format(b.High)}, {Other} {axis.Format(o.Low)}–{axis.Format(o.High)}{(overlap ? ": the intervals overlap" : ": apart")}");
                }
                var same = !b.Found && !o.Found && b.Side == o.Side && b.Side != SweepSide.Unsure;
                return new SweepExpectationResult(this, same, $"{Variant}: {b.Description}; {Other}: {o.Description}");
            }
            case SweepExpectationKind.NoBoundary:
                return new SweepExpectationResult(this, !b.Found && b.Side != SweepSide.Unsure, b.Description);
            case SweepExpectationKind.MaxFailures:
            {
                var worst = mine.Cells.OrderByDescending(c => c.Failures).First();
                return new SweepExpectationResult(this, worst.Failures <= Value,
                    $"at most {worst.Failures} failures at a value ({worst.Failures}/{worst.Trials} at {axis.Format(worst.X)})");
            }
            default:
                throw new InvalidOperationException(Kind.ToString());
        }
    }
}
