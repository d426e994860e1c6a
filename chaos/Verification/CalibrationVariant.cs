namespace Replica.Chaos.Verification;

/// <summary>One variant in a <see cref="CalibrationCheck"/>: the counted runs of each sample, their intervals, and whether they differ.</summary>
public sealed record CalibrationVariant(
    string Variant,
    int Alone,
    int AloneCompleted,
    WilsonInterval AloneRate,
    int Parallel,
    int ParallelCompleted,
    WilsonInterval ParallelRate,
    bool Differs);
