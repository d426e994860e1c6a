namespace Replica.Chaos.Sweeps;

/// <summary>One variant's curve: every value tried with its runs, and the boundary.</summary>
public sealed record SweepVariantResult(string Variant, string? Description, IReadOnlyList<SweepCell> Cells, SweepBoundary Boundary);
