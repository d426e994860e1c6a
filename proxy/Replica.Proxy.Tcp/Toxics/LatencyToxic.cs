using System.Threading.Channels;
using Replica.Proxy.Tcp.Links;
using Replica.Proxy.Tcp.Network.Timing;

namespace Replica.Proxy.Tcp.Toxics;

/// <summary>
/// <c>latency</c> (ms) ± <c>jitter</c> (ms): each chunk leaves at its arrival time + latency + a uniform draw in
/// [−jitter, jitter), per chunk, never reordered. Chunks queue (up to 1024, like Toxiproxy) while earlier ones wait, so
/// a stream is delayed but not slowed. The chunk's timestamp moves to its due time, so chained latencies add up.
/// </summary>
internal sealed class LatencyToxic : ToxicStage
{
    public static readonly ToxicKind Kind = new("latency", [new("latency", 0L), new("jitter", 0L)],
        (toxic, link, _) => new LatencyToxic(toxic.Attributes.GetInteger("latency"), toxic.Attributes.GetInteger("jitter"), link.NewRandom()));

    private readonly Channel<Chunk> queue = Channel.CreateBounded<Chunk>(
        new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly long latency;
    private readonly long jitter;
    private readonly Random random;
    private Task<bool> pump = Task.FromResult(true);

    private LatencyToxic(long latency, long jitter, Random random)
    {
        this.latency = latency;
        this.jitter = jitter;
        this.random = random;
    }

    public override bool TimesFromArrival => true;

    public override void Start() => pump = PumpAsync();

    public override ValueTask WriteAsync(Chunk chunk) => queue.Writer.WriteAsync(chunk);

    /// <summary>The end leaves right after the last queued chunk, without a delay of its own.</summary>
    public override async ValueTask<bool> EndAsync()
    {
        await queue.Writer.WriteAsync(Chunk.End);
        queue.Writer.TryComplete();
        return await pump;
    }

    public override async ValueTask DrainAsync()
    {
        queue.Writer.TryComplete();
        await pump;
    }

    private async Task<bool> PumpAsync()
    {
        while (await queue.Reader.WaitToReadAsync())
        {
            while (queue.Reader.TryRead(out var chunk))
            {
                if (chunk.IsEnd)
                {
                    return await Next.EndAsync();
                }
                var due = StopwatchTicks.Add(chunk.Timestamp, StopwatchTicks.FromMilliseconds(DrawDelay()));
                if (await Wait.UntilAsync(due))
                {
                    chunk = chunk.WithTimestamp(due);
                }
                await Next.WriteAsync(chunk);
            }
        }
        return true;
    }

    private long DrawDelay() => jitter > 0 ? latency + random.NextInt64(-jitter, jitter) : latency;
}
