using System.Diagnostics;
using Replica.Proxy.Tcp.Links;
using Replica.Proxy.Tcp.Network.Timing;

namespace Replica.Proxy.Tcp.Toxics;

/// <summary>
/// <c>slow_close</c>: data passes unchanged; when the source ends, the close reaches the other side <c>delay</c> ms later.
/// Interrupted by an update, the close waits the full new delay again; by a removal, it passes at once.
/// </summary>
internal sealed class SlowCloseToxic(long delay) : ToxicStage
{
    public static readonly ToxicKind Kind = new("slow_close", [new("delay", 0L)],
        (toxic, _, _) => new SlowCloseToxic(toxic.Attributes.GetInteger("delay")));

    public override ValueTask WriteAsync(Chunk chunk) => Next.WriteAsync(chunk);

    public override async ValueTask<bool> EndAsync()
    {
        var due = StopwatchTicks.Add(Stopwatch.GetTimestamp(), StopwatchTicks.FromMilliseconds(delay));
        return await Wait.UntilAsync(due) && await Next.EndAsync();
    }
}
