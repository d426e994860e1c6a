using Replica.Proxy.Tcp.Links;
using Replica.Proxy.Tcp.Network.Timing;

namespace Replica.Proxy.Tcp.Toxics;

/// <summary>
/// <c>timeout</c> (ms): drops all data of its direction; when <c>timeout</c> &gt; 0, closes the connection once that
/// long passes without a chunk arriving (the clock restarts with each chunk and with each rebuild of the chain).
/// 0 means never close. Removing the toxic closes the proxy's connections, whose streams lost data (see Proxy).
/// Its clock is the proxy's <see cref="ToxiproxyServerOptions.TimeProvider"/>.
/// </summary>
internal sealed class TimeoutToxic(long timeout, Link link) : ToxicStage
{
    public static readonly ToxicKind Kind = new("timeout", [new("timeout", 0L)],
        (toxic, link, _) => new TimeoutToxic(toxic.Attributes.GetInteger("timeout"), link));

    private readonly TimeProvider time = link.Time;
    private readonly long period = StopwatchTicks.FromMilliseconds(timeout, link.Time.TimestampFrequency);
    private ITimer? timer;
    private long lastActivity;
    private volatile bool stopped;

    public override void Start()
    {
        if (timeout > 0)
        {
            lastActivity = time.GetTimestamp();
            timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Arm(period);
        }
    }

    public override ValueTask WriteAsync(Chunk chunk)
    {
        chunk.Release();
        if (timer is not null)
        {
            // No re-arming per chunk (Timer.Change takes the timer queue's lock): the timer, once due, re-arms from here.
            Volatile.Write(ref lastActivity, time.GetTimestamp());
        }
        return ValueTask.CompletedTask;
    }

    public override void Stop()
    {
        stopped = true;
        timer?.Dispose();
    }

    private void Arm(long ticks)
    {
        // Timer counts whole milliseconds and may fire a little early; Fire re-arms until the full period has passed.
        var milliseconds = Math.Min(Math.Ceiling(ticks * 1000.0 / time.TimestampFrequency) + 1, uint.MaxValue - 1.0);
        timer?.Change(TimeSpan.FromMilliseconds(milliseconds), Timeout.InfiniteTimeSpan);
    }

    private void Fire()
    {
        if (stopped)
        {
            return;
        }
        var remaining = Volatile.Read(ref lastActivity) + period - time.GetTimestamp();
        if (remaining > 0)
        {
            Arm(remaining);
            return;
        }
        link.CloseDestination();
    }
}
