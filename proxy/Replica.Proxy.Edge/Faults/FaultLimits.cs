namespace Replica.Proxy.Edge.Faults;

/// <summary>Bounds every rule is checked against, from JSON or from C#.</summary>
public static class FaultLimits
{
    /// <summary>
    /// The longest time any rule field may give (delays, windows, cold starts, triggers): 24 h. Timers refuse more
    /// than about 49.7 days, and a longer fault is never what a test means.
    /// </summary>
    public static readonly TimeSpan MaxTime = TimeSpan.FromHours(24);

    public static double MaxMs => MaxTime.TotalMilliseconds;

    /// <summary>The message for a time out of range, naming the limit.</summary>
    public static string TimeRange => $"must be ≥ 0 and at most {MaxMs:0} (24 h)";
}
