namespace Replica.Chaos.Reports.SweepJson;

/// <summary>
/// One value (one per axis) of a variant in a sweep's JSON: its runs counted, the failure rate (null with no trials)
/// and its 95 % interval, rounded to 4 places, and the failures by mode.
/// </summary>
/// <param name="Values">The values, one per axis, in the axis' unit.</param>
/// <param name="Text">The same values as a reader writes them ("450ms").</param>
/// <param name="Trials">Runs carried out (not errors).</param>
internal sealed record SweepJsonPoint(
    IReadOnlyList<double> Values,
    IReadOnlyList<string> Text,
    int Runs,
    int Trials,
    int Failures,
    int Symptoms,
    int OtherFailures,
    int Errors,
    double? Rate,
    double Low,
    double High,
    IReadOnlyDictionary<string, int> FailureModes);
