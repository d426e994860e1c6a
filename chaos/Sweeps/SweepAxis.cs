namespace Replica.Chaos.Sweeps;

/// <summary>One varied value: the path, where it leads, the kind it takes and the range tried.</summary>
public sealed record SweepAxis(SweepPath Path, SweepTarget Target, SweepRange Range)
{
    public SweepValueKind Kind => Range.Kind;

    /// <summary>How an axis names itself on a chart: the path and the unit.</summary>
    public string Label => Kind == SweepValueKind.Duration ? $"{Path.Text} (ms)" : Path.Text;

    public string Format(double value) => SweepValues.Format(value, Kind);
}
