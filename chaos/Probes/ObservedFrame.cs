namespace Replica.Chaos.Probes;

/// <summary>One thing a probe saw, at a time relative to the run's start: a frame (with its type), a status, a close.</summary>
public sealed record ObservedFrame(TimeSpan At, string Direction, string Type, string? Text = null);
