namespace Replica.Chaos.Probes;

/// <summary>What one probe saw in one run, and whether that is what it expected.</summary>
public sealed record ProbeObservation(
    string Probe,
    TimeSpan StartedAt,
    TimeSpan EndedAt,
    bool Passed,
    FailureMode? Failure,
    IReadOnlyList<ObservedFrame> Frames,
    string? Detail = null);
