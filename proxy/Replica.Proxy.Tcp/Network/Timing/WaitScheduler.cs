using System.Diagnostics;

namespace Replica.Proxy.Tcp.Network.Timing;

/// <summary>
/// Completes <see cref="ScheduledWait"/>s at their due timestamp with sub-millisecond precision. Task.Delay lands
/// 2–7 ms late on this kind of machine, too coarse for a 100 ms latency toxic that should land within 0.5 ms. One
/// background thread sleeps on a monitor until the earliest due time is near, then in short nanosleep slices, and
/// spins the last few microseconds (a nanosleep that short would wake later than the spin ends). The thread runs
/// with a 1 ns timer slack and above the process's other threads where the OS allows
/// (<see cref="NativeSleep.TuneCurrentThread"/>). It lives as long as the process, like the runtime's timer thread.
/// </summary>
internal sealed class WaitScheduler
{
    private static readonly long CoarseMargin = Stopwatch.Frequency / 500;   // 2 ms: monitor timeouts wake up to ~1.5 ms late
    private static readonly long FineSlice = Stopwatch.Frequency / 5_000;    // 0.2 ms: bounds how late a newly added earlier wait can be
    private static readonly long SpinMargin = Stopwatch.Frequency / 50_000;  // 20 µs: shorter than a nanosleep's own wake-up

    private readonly object gate = new();
    private readonly PriorityQueue<(ScheduledWait Wait, long Sequence), long> queue = new();
    private Thread? thread;

    public static WaitScheduler Shared { get; } = new();

    public void Schedule(ScheduledWait wait, long sequence, long dueTimestamp)
    {
        lock (gate)
        {
            queue.Enqueue((wait, sequence), dueTimestamp);
            if (thread is null)
            {
                thread = new Thread(Run) { IsBackground = true, Name = "toxiproxy-wait-scheduler" };
                thread.Start();
            }
            if (queue.TryPeek(out _, out var earliest) && earliest == dueTimestamp)
            {
                Monitor.Pulse(gate);
            }
        }
    }

    public void Remove(ScheduledWait wait, long sequence)
    {
        lock (gate)
        {
            queue.Remove((wait, sequence), out _, out _);
        }
    }

    private void Run()
    {
        NativeSleep.TuneCurrentThread();
        while (true)
        {
            (ScheduledWait Wait, long Sequence) due = default;
            long fineSleep = 0;
            lock (gate)
            {
                if (!queue.TryPeek(out var entry, out var dueTimestamp))
                {
                    Monitor.Wait(gate);
                    continue;
                }
                var remaining = dueTimestamp - Stopwatch.GetTimestamp();
                if (remaining <= 0)
                {
                    due = queue.Dequeue();
                }
                else if (remaining > CoarseMargin)
                {
                    Monitor.Wait(gate, TimeSpan.FromSeconds((double)(remaining - CoarseMargin) / Stopwatch.Frequency));
                    continue;
                }
                else
                {
                    fineSleep = Math.Min(remaining, FineSlice);
                }
            }
            if (due.Wait is not null)
            {
                due.Wait.CompleteDue(due.Sequence);
            }
            else if (fineSleep <= SpinMargin)
            {
                Thread.SpinWait(20);
            }
            else
            {
                NativeSleep.For(Math.Min(fineSleep - SpinMargin, FineSlice));
            }
        }
    }
}
