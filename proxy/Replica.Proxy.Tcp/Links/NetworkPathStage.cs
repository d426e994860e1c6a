using System.Diagnostics;
using System.Threading.Channels;
using Replica.Proxy.Tcp.Network;

namespace Replica.Proxy.Tcp.Links;

/// <summary>
/// The wire under a proxy's toxics, when the environment gives its dependency edges a network shape: each chunk
/// waits for the link to be free at the shape's rate, takes its time on the wire, then its one-way delay (half the
/// round trip, ± half the jitter), and is never overtaken. Not a toxic: the API does not list it and /reset leaves it.
/// Chunks queue (up to 1024, like the latency toxic) while earlier ones wait, so a burst is delayed, not slowed.
/// </summary>
internal sealed class NetworkPathStage : ToxicStage
{
    private readonly Channel<Chunk> queue = Channel.CreateBounded<Chunk>(
        new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly long oneWay;
    private readonly long jitter;
    private readonly double ticksPerByte;
    private readonly Random random;
    private long linkFree;
    private long lastDue;
    private long endDue;
    private Task<bool> pump = Task.FromResult(true);

    public NetworkPathStage(LinkShape shape, Random random)
    {
        oneWay = (long)(shape.RoundTrip.TotalSeconds * Stopwatch.Frequency) / 2;
        jitter = (long)(shape.Jitter.TotalSeconds * Stopwatch.Frequency);
        ticksPerByte = shape.BytesPerSecond is { } rate ? (double)Stopwatch.Frequency / rate : 0;
        this.random = random;
    }

    public override bool TimesFromArrival => true;

    public override void Start() => pump = PumpAsync();

    public override ValueTask WriteAsync(Chunk chunk) => queue.Writer.WriteAsync(chunk.WithTimestamp(DueOf(chunk)));

    /// <summary>The end (a FIN) crosses the wire after the last chunk, with a one-way delay of its own.</summary>
    public override async ValueTask<bool> EndAsync()
    {
        endDue = Math.Max(Stopwatch.GetTimestamp() + oneWay, lastDue);
        await queue.Writer.WriteAsync(Chunk.End);
        queue.Writer.TryComplete();
        return await pump;
    }

    public override async ValueTask DrainAsync()
    {
        queue.Writer.TryComplete();
        await pump;
    }

    private long DueOf(Chunk chunk)
    {
        var start = Math.Max(chunk.Timestamp, linkFree);
        var end = start + (long)(chunk.Count * ticksPerByte);
        linkFree = end;
        var delay = jitter == 0 ? oneWay : oneWay + (long)((random.NextDouble() - 0.5) * jitter);
        var due = Math.Max(end + delay, lastDue);
        lastDue = due;
        return due;
    }

    private async Task<bool> PumpAsync()
    {
        while (await queue.Reader.WaitToReadAsync())
        {
            while (queue.Reader.TryRead(out var chunk))
            {
                if (chunk.IsEnd)
                {
                    await Wait.UntilAsync(endDue);
                    return await Next.EndAsync();
                }
                await Wait.UntilAsync(chunk.Timestamp);
                await Next.WriteAsync(chunk);
            }
        }
        return true;
    }
}
