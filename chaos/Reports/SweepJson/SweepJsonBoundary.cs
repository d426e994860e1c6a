namespace Replica.Chaos.Reports.SweepJson;

/// <summary>
/// Where a variant's failure rate crosses 50 % along the first axis, in a sweep's JSON: the estimate and the interval
/// around it (rounded to 4 places; null when not found), and which way the rate goes, or when there is no boundary on
/// which side of 50 % the whole range lies.
/// </summary>
/// <param name="Direction">"rising" or "falling" when found; else null.</param>
/// <param name="Side">"below", "above" or "unsure" when not found; else null.</param>
/// <param name="Text">The boundary in words.</param>
internal sealed record SweepJsonBoundary(bool Found, double? Estimate, double? Low, double? High, string? Direction, string? Side, string Text);
