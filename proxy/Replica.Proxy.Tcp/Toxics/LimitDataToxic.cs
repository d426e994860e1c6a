using System.Runtime.CompilerServices;
using Replica.Proxy.Tcp.Links;

namespace Replica.Proxy.Tcp.Toxics;

/// <summary>
/// <c>limit_data</c>: lets <c>bytes</c> bytes through this direction, truncating the chunk that crosses the limit, then
/// closes the connection. The count belongs to the connection and survives updates of the toxic. With 0 the first
/// chunk closes the connection and nothing passes.
/// </summary>
internal sealed class LimitDataToxic(long bytes, Link link, LinkToxicState state) : ToxicStage
{
    public static readonly ToxicKind Kind = new("limit_data", [new("bytes", 0L)],
        (toxic, link, state) => new LimitDataToxic(toxic.Attributes.GetInteger("bytes"), link, state));

    private StrongBox<long> Transmitted => (StrongBox<long>)(state.Data ??= new StrongBox<long>());

    public override async ValueTask WriteAsync(Chunk chunk)
    {
        var transmitted = Transmitted;
        var remaining = bytes - transmitted.Value;
        if (remaining <= 0)
        {
            chunk.Release();
            await CloseAsync();
            return;
        }
        if (chunk.Count > remaining)
        {
            chunk = chunk.Slice(0, (int)remaining, ownsBuffer: true);
        }
        transmitted.Value += chunk.Count;
        await Next.WriteAsync(chunk);
        if (transmitted.Value >= bytes)
        {
            await CloseAsync();
        }
    }

    public override ValueTask<bool> EndAsync() =>
        Transmitted.Value >= bytes && bytes > 0 ? new ValueTask<bool>(true) : Next.EndAsync();

    private async ValueTask CloseAsync()
    {
        link.StopReading();
        if (!await Next.EndAsync())
        {
            link.CloseDestination();
        }
    }
}
