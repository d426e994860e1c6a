using Replica.Chaos.Toxiproxy.Links;

namespace Replica.Chaos.Toxiproxy.Toxics;

/// <summary>
/// <c>timeout</c> (ms): drops all data of its direction; when <c>timeout</c> &gt; 0, closes the connection once that
/// long passes without a chunk arriving (the timer restarts with each chunk and with each rebuild of the chain).
/// 0 means never close. Removing the toxic closes the proxy's connections, whose streams lost data (see Proxy).
/// </summary>
internal sealed class TimeoutToxic(long timeout, Link link) : ToxicStage
{
    public static readonly ToxicKind Kind = new("timeout", [new("timeout", 0L)],
        (toxic, link, _) => new TimeoutToxic(toxic.Attributes.GetInteger("timeout"), link));

    private Timer? timer;
    private volatile bool stopped;

    public override void Start()
    {
        if (timeout > 0)
        {
            timer = new Timer(_ => Fire(), null, Period, Timeout.InfiniteTimeSpan);
        }
    }

    public override ValueTask WriteAsync(Chunk chunk)
    {
        chunk.Release();
        timer?.Change(Period, Timeout.InfiniteTimeSpan);
        return ValueTask.CompletedTask;
    }

    public override void Stop()
    {
        stopped = true;
        timer?.Dispose();
    }

    private TimeSpan Period => TimeSpan.FromMilliseconds(Math.Min(timeout, uint.MaxValue - 1L));

    private void Fire()
    {
        if (!stopped)
        {
            link.CloseDestination();
        }
    }
}
