using System.Diagnostics;
using Replica.Proxy.Tcp.Links;
using Replica.Proxy.Tcp.Network.Timing;

namespace Replica.Proxy.Tcp.Toxics;

/// <summary>
/// <c>slicer</c>: splits each chunk into pieces of about <c>average_size</c> bytes (± <c>size_variation</c>) by
/// bisection at a random offset from the middle, waiting <c>delay</c> µs after each piece. Interrupted, the rest of the
/// chunk leaves as one piece. average_size 0 recurses forever in Toxiproxy, so it must be ≥ 1, and size_variation
/// below average_size so every cut falls inside the segment.
/// </summary>
internal sealed class SlicerToxic : ToxicStage
{
    public static readonly ToxicKind Kind = new(
        "slicer",
        [new("average_size", 0L) { Minimum = 1 }, new("size_variation", 0L), new("delay", 0L)],
        (toxic, link, _) => new SlicerToxic(toxic.Attributes, link.NewRandom()))
    {
        Check = a => a.GetInteger("size_variation") < a.GetInteger("average_size")
            ? null
            : $"invalid attribute size_variation of slicer: must be less than average_size ({a.GetInteger("average_size")}), got {a.GetInteger("size_variation")}",
    };

    private readonly Stack<(int Start, int End)> segments = new();
    private readonly long averageSize;
    private readonly long sizeVariation;
    private readonly long delay;
    private readonly Random random;

    private SlicerToxic(ToxicAttributes attributes, Random random)
    {
        averageSize = attributes.GetInteger("average_size");
        sizeVariation = attributes.GetInteger("size_variation");
        delay = StopwatchTicks.FromMicroseconds(attributes.GetInteger("delay"));
        this.random = random;
    }

    public override async ValueTask WriteAsync(Chunk chunk)
    {
        segments.Clear();
        segments.Push((0, chunk.Count));
        while (segments.TryPop(out var segment))
        {
            var (start, end) = segment;
            if (end - start - averageSize > sizeVariation)
            {
                var middle = start + (end - start) / 2 + (sizeVariation > 0 ? (int)random.NextInt64(-sizeVariation, sizeVariation) : 0);
                middle = Math.Clamp(middle, start + 1, end - 1);
                segments.Push((middle, end));
                segments.Push((start, middle));
                continue;
            }
            await Next.WriteAsync(chunk.Slice(start, end - start, ownsBuffer: end == chunk.Count));
            if (!await Wait.UntilAsync(StopwatchTicks.Add(Stopwatch.GetTimestamp(), delay)) && end < chunk.Count)
            {
                await Next.WriteAsync(chunk.Slice(end, chunk.Count - end, ownsBuffer: true));
                return;
            }
        }
    }
}
