using Replica.Chaos.Sweeps;

namespace Replica.Chaos.Reports.SweepJson;

/// <summary>One varied value in a sweep's JSON: its path, its kind, the unit its values are in, and the range as written.</summary>
/// <param name="Unit">"ms" for a duration; null for a number.</param>
/// <param name="Adaptive">Whether the range is refined where the failure rate changes (<c>auto:</c>).</param>
internal sealed record SweepJsonAxis(string Path, SweepValueKind Kind, string? Unit, string Range, bool Adaptive);
