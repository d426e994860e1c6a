namespace Replica.Chaos.Verification;

/// <summary>A run's time axis on a <see cref="TimeProvider"/>: zero until <see cref="Start"/>, then the time since.</summary>
public sealed class RunClock(TimeProvider time)
{
    private long? _start;

    public TimeProvider Time { get; } = time;

    public void Start() => _start = Time.GetTimestamp();

    public TimeSpan Elapsed => _start is { } start ? Time.GetElapsedTime(start) : TimeSpan.Zero;

    /// <summary>Waits until <paramref name="due"/> on this axis (at once when it has passed).</summary>
    public async Task DelayUntilAsync(TimeSpan due, CancellationToken cancellationToken)
    {
        var wait = due - Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, Time, cancellationToken);
        }
    }
}
