using Replica.Proxy.Tcp.Links;

namespace Replica.Proxy.Tcp.Toxics;

/// <summary>
/// <c>reset_peer</c> (<c>timeout</c> ms): the first chunk or end of stream is discarded and commits the connection to a
/// TCP reset (SO_LINGER 0 on both sockets) <c>timeout</c> ms later; nothing passes meanwhile. Once committed, the reset
/// happens even if the toxic changes, and it is always a reset: linger is set when it fires, not at connect time, so
/// unlike Toxiproxy a toxicity-0 toxic never turns ordinary closes into resets.
/// </summary>
internal sealed class ResetPeerToxic(long timeout, Link link, LinkToxicState state) : ToxicStage
{
    public static readonly ToxicKind Kind = new("reset_peer", [new("timeout", 0L)],
        (toxic, link, state) => new ResetPeerToxic(toxic.Attributes.GetInteger("timeout"), link, state));

    public override async ValueTask WriteAsync(Chunk chunk)
    {
        chunk.Release();
        await Committed();
    }

    public override async ValueTask<bool> EndAsync()
    {
        await Committed();
        return true;
    }

    // Stored in the link's state so a rebuilt chain waits for the same reset instead of starting a new one.
    private Task Committed() => (Task)(state.Data ??= link.ResetAfterAsync(timeout));
}
