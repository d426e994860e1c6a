using System.Diagnostics;

namespace Replica.Proxy.Tcp.Network.Timing;

/// <summary>Conversions between toxic attribute units and <see cref="Stopwatch"/> timestamps, saturating instead of overflowing.</summary>
public static class StopwatchTicks
{
    /// <summary>Far enough to mean "never" yet safe to add to any timestamp.</summary>
    public const long Never = long.MaxValue / 4;

    public static long FromMilliseconds(long milliseconds) => FromUnits(milliseconds, 1_000);

    public static long FromMicroseconds(long microseconds) => FromUnits(microseconds, 1_000_000);

    public static long FromNanoseconds(long nanoseconds) => FromUnits(nanoseconds, 1_000_000_000);

    public static double ToMilliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>Milliseconds as timestamp ticks of a clock with <paramref name="frequency"/> ticks per second (a TimeProvider's), saturating at <see cref="Never"/>.</summary>
    public static long FromMilliseconds(long milliseconds, long frequency) => FromUnits(milliseconds, 1_000, frequency);

    /// <summary>Timestamp ticks of a clock with <paramref name="frequency"/> ticks per second as a timer's due time: whole
    /// milliseconds rounded up, at most what a timer takes (about 49.7 days; a longer wait is re-armed when it fires).</summary>
    public static TimeSpan ToTimerDue(long ticks, long frequency) =>
        TimeSpan.FromMilliseconds(Math.Min(Math.Ceiling(ticks * 1000.0 / frequency), uint.MaxValue - 1.0));

    /// <summary>Adds without passing <see cref="Never"/>, so huge attribute values wait forever instead of wrapping around.</summary>
    public static long Add(long timestamp, long ticks) => ticks >= Never - timestamp ? Never : timestamp + ticks;

    private static long FromUnits(long value, long unitsPerSecond, long? frequency = null)
    {
        if (value <= 0)
        {
            return 0;
        }
        var ticks = (double)value * (frequency ?? Stopwatch.Frequency) / unitsPerSecond;
        return ticks >= Never ? Never : (long)ticks;
    }
}
