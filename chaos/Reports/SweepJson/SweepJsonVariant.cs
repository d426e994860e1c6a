namespace Replica.Chaos.Reports.SweepJson;

/// <summary>One variant's curve in a sweep's JSON: its boundary, and every value tried (a point).</summary>
internal sealed record SweepJsonVariant(string Variant, string? Description, SweepJsonBoundary Boundary, IReadOnlyList<SweepJsonPoint> Points);
