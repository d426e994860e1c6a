using Microsoft.Extensions.Time.Testing;

namespace Replica.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> (time moves only when the test advances it) that counts the timers the code under
/// test sets on it: every <c>Task.Delay</c>, and every <c>CreateTimer</c> once it has a due time. A timer created
/// idle and armed later with <c>Change</c> (TimeoutToxic, the startup gate) counts when it is armed, not when it is
/// created: counting it earlier let a test move time between the two, and the timer was then armed from the moved
/// clock (a timeout test waited 5 s for a close that was a whole period away). A test waits until the code is waiting
/// on the clock (<see cref="WaitForTimersAsync"/>) before it moves time, so no step is missed and nothing sleeps.
/// </summary>
public sealed class FakeClock : FakeTimeProvider
{
    private int _timersCreated;

    public FakeClock()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>How many timers have been set on this clock so far (created with a due time, or armed after).</summary>
    public int TimersCreated => Volatile.Read(ref _timersCreated);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Increment(ref _timersCreated);
            return timer;
        }
        return new ArmedWhenChanged(timer, this);
    }

    /// <summary>Waits (in real time, polling, at most <paramref name="timeout"/>) until <paramref name="count"/> timers were set in all.</summary>
    public Task WaitForTimersAsync(int count, string what, TimeSpan? timeout = null)
        => Eventually.WaitAsync(() => TimersCreated >= count, timeout ?? TimeSpan.FromSeconds(20),
            () => $"{what} (timers set on the fake clock: {TimersCreated} of {count})", TimeSpan.FromMilliseconds(2));

    /// <summary>Moves time forward by <paramref name="milliseconds"/>.</summary>
    public void AdvanceMs(double milliseconds) => Advance(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>A timer created idle: counted the first time it is given a due time, after the fake clock has it.</summary>
    private sealed class ArmedWhenChanged(ITimer inner, FakeClock clock) : ITimer
    {
        private int _armed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            if (dueTime != Timeout.InfiniteTimeSpan && Interlocked.Exchange(ref _armed, 1) == 0)
            {
                Interlocked.Increment(ref clock._timersCreated);
            }
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
