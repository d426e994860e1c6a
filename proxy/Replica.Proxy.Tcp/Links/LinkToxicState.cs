using Replica.Proxy.Tcp.Toxics;

namespace Replica.Proxy.Tcp.Links;

/// <summary>What a link remembers about one toxic across rebuilds of its chain: the toxicity draw and per-connection data.</summary>
internal sealed class LinkToxicState(Toxic toxic, bool active)
{
    /// <summary>The toxic value the draw was made for; a new value (an update) means a new draw.</summary>
    public Toxic Toxic { get; set; } = toxic;

    public bool Active { get; set; } = active;

    /// <summary>Per-connection data that survives updates, e.g. the bytes limit_data has let through.</summary>
    public object? Data { get; set; }
}
