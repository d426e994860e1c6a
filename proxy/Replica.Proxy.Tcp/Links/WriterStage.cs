using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Replica.Proxy.Tcp.Links;

/// <summary>The end of a link: writes chunks to the destination socket and closes it at the end of the stream.</summary>
internal sealed class WriterStage(Link link, Socket destination) : ToxicStage
{
    private bool broken;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(Chunk chunk)
    {
        try
        {
            if (broken)
            {
                return;
            }
            var remaining = chunk.Memory;
            while (!remaining.IsEmpty)
            {
                var sent = await destination.SendAsync(remaining, SocketFlags.None);
                remaining = remaining[sent..];
            }
            link.CountSent(chunk.Count);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The peer is gone: the other link sees the same socket fail and takes the connection down.
            broken = true;
            link.StopReading();
        }
        finally
        {
            chunk.Release();
        }
    }

    public override ValueTask<bool> EndAsync()
    {
        link.CloseDestination();
        return new ValueTask<bool>(true);
    }
}
