namespace Replica.Proxy.Edge.Faults;

/// <summary>When a rule is active: from <see cref="StartAfter"/> after its origin, for <see cref="Duration"/> (null: for ever).</summary>
public sealed record FaultWindow(TimeSpan StartAfter, TimeSpan? Duration, ClockOrigin From)
{
    public static FaultWindow Always { get; } = new(TimeSpan.Zero, null, ClockOrigin.Rule);

    internal bool Contains(TimeSpan sinceOrigin)
        => sinceOrigin >= StartAfter && (Duration is not { } d || sinceOrigin < StartAfter + d);
}
