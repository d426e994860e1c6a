using Microsoft.Extensions.Time.Testing;

namespace Replica.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> (time moves only when the test advances it) that counts the timers the code under
/// test creates: every <c>Task.Delay</c> and <c>CreateTimer</c> on it is one. A test waits until the code is waiting on
/// the clock (<see cref="WaitForTimersAsync"/>) before it moves time, so no step is missed and nothing sleeps.
/// </summary>
public sealed class FakeClock : FakeTimeProvider
{
    private int _timersCreated;

    public FakeClock()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>How many timers have been created on this clock so far.</summary>
    public int TimersCreated => Volatile.Read(ref _timersCreated);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timersCreated);
        return timer;
    }

    /// <summary>Waits (in real time, polling, at most <paramref name="timeout"/>) until <paramref name="count"/> timers were created in all.</summary>
    public Task WaitForTimersAsync(int count, string what, TimeSpan? timeout = null)
        => Eventually.WaitAsync(() => TimersCreated >= count, timeout ?? TimeSpan.FromSeconds(20),
            () => $"{what} (timers created on the fake clock: {TimersCreated} of {count})", TimeSpan.FromMilliseconds(2));

    /// <summary>Moves time forward by <paramref name="milliseconds"/>.</summary>
    public void AdvanceMs(double milliseconds) => Advance(TimeSpan.FromMilliseconds(milliseconds));
}
