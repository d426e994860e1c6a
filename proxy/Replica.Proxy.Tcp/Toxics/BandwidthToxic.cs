using System.Diagnostics;
using Replica.Proxy.Tcp.Links;
using Replica.Proxy.Tcp.Network.Timing;

namespace Replica.Proxy.Tcp.Toxics;

/// <summary>
/// <c>bandwidth</c>: at most <c>rate</c> KB/s (1 KB = 1000 bytes). Each chunk adds len/rate to a debt that is slept off
/// before it leaves; oversleeping is carried forward so the long-run rate is exact, and idle time earns no credit.
/// Chunks above rate×100 bytes leave in rate×100-byte pieces every 100 ms. Rate 0 holds all data until the toxic
/// changes (the "network partition" users script); negative rates, which crash Toxiproxy, are refused.
/// </summary>
internal sealed class BandwidthToxic(long rate) : ToxicStage
{
    public static readonly ToxicKind Kind = new("bandwidth", [new("rate", 0L)],
        (toxic, _, _) => new BandwidthToxic(toxic.Attributes.GetInteger("rate")));

    private static readonly long HundredMilliseconds = StopwatchTicks.FromMilliseconds(100);

    private long debt;

    public override async ValueTask WriteAsync(Chunk chunk)
    {
        if (rate == 0)
        {
            await Wait.UntilAsync(StopwatchTicks.Never);
            await Next.WriteAsync(chunk);
            return;
        }
        debt += (long)((double)chunk.Count * Stopwatch.Frequency / (rate * 1000.0));
        var offset = 0;
        var pieceSize = rate > int.MaxValue / 100 ? int.MaxValue : rate * 100;
        while (chunk.Count - offset > pieceSize)
        {
            if (!await Wait.UntilAsync(Stopwatch.GetTimestamp() + HundredMilliseconds))
            {
                await Next.WriteAsync(chunk.Slice(offset, chunk.Count - offset, ownsBuffer: true));
                return;
            }
            await Next.WriteAsync(chunk.Slice(offset, (int)pieceSize, ownsBuffer: false));
            offset += (int)pieceSize;
            debt -= HundredMilliseconds;
        }
        var start = Stopwatch.GetTimestamp();
        if (await Wait.UntilAsync(start + debt))
        {
            debt -= Stopwatch.GetTimestamp() - start;
        }
        await Next.WriteAsync(offset == 0 ? chunk : chunk.Slice(offset, chunk.Count - offset, ownsBuffer: true));
    }
}
