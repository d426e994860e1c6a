namespace Replica.Proxy.Edge.Faults;

/// <summary>Waits at least a given time: a fault that promises a 400 ms delay must never deliver in 399.</summary>
internal static class FaultDelay
{
    // Timers can fire up to about a millisecond early against the monotonic clock; wait out any remainder.
    public static async Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var remaining = delay;
        while (remaining > TimeSpan.Zero)
        {
            // In steps of at most a day: a timer refuses more than about 49.7 days, and frame delays of several rules add up.
            await Task.Delay(remaining < FaultLimits.MaxTime ? remaining : FaultLimits.MaxTime, time, cancellationToken);
            remaining = delay - time.GetElapsedTime(started);
        }
    }
}
