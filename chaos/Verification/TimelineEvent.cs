namespace Replica.Chaos.Verification;

/// <summary>
/// Something that happened during a run, on the run's time axis. A window (a fault that was on, a probe that ran) has
/// <see cref="Until"/>; a point (a restart, a frame, the failure) has not.
/// </summary>
/// <param name="Lane">What it belongs to: "faults", a service name, or a probe name.</param>
/// <param name="Kind">fault, lifecycle, service, probe, frame or failure.</param>
public sealed record TimelineEvent(TimeSpan At, TimeSpan? Until, string Lane, string Kind, string Label);
