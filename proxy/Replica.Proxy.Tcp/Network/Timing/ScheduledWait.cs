using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace Replica.Proxy.Tcp.Network.Timing;

/// <summary>
/// A reusable, interruptible wait owned by one toxic stage: one wait at a time, no allocation per wait.
/// Once interrupted (the stage's toxic changed), every wait returns false at once so held data flows out.
/// A wait that reaches its time continues on the scheduler thread, which has just woken: handing it to the thread
/// pool costs another wake-up, milliseconds on a busy machine. Stage code after a wait only queues or sends.
/// An interrupt comes from an API call, maybe under a lock, so its continuation goes to the thread pool.
/// </summary>
public sealed class ScheduledWait : IValueTaskSource<bool>
{
    private const int Pending = 1;
    private const int Completed = 2;

    private ManualResetValueTaskSourceCore<bool> core = new() { RunContinuationsAsynchronously = true };
    private int status;
    private long sequence;
    private volatile bool interrupted;

    /// <summary>True when <paramref name="dueTimestamp"/> is reached; false when interrupted first.
    /// <see cref="StopwatchTicks.Never"/> waits for the interrupt only.</summary>
    public ValueTask<bool> UntilAsync(long dueTimestamp)
    {
        if (interrupted)
        {
            return new ValueTask<bool>(false);
        }
        if (dueTimestamp <= Stopwatch.GetTimestamp())
        {
            return new ValueTask<bool>(true);
        }
        core.Reset();
        var current = Interlocked.Increment(ref sequence);
        Interlocked.Exchange(ref status, Pending);
        if (interrupted)
        {
            TryComplete(false);
        }
        else if (dueTimestamp < StopwatchTicks.Never)
        {
            WaitScheduler.Shared.Schedule(this, current, dueTimestamp);
        }
        return new ValueTask<bool>(this, core.Version);
    }

    public void Interrupt()
    {
        interrupted = true;
        if (TryComplete(false))
        {
            // A long wait (a removed one-hour latency) must not keep its stage alive in the queue until it is due.
            WaitScheduler.Shared.Remove(this, Interlocked.Read(ref sequence));
        }
    }

    internal void CompleteDue(long dueSequence)
    {
        if (Interlocked.Read(ref sequence) == dueSequence)
        {
            TryComplete(true, inline: true);
        }
    }

    private bool TryComplete(bool reached, bool inline = false)
    {
        if (Interlocked.CompareExchange(ref status, Completed, Pending) != Pending)
        {
            return false;
        }
        core.RunContinuationsAsynchronously = !inline;
        core.SetResult(reached);
        return true;
    }

    bool IValueTaskSource<bool>.GetResult(short token) => core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => core.OnCompleted(continuation, state, token, flags);
}
