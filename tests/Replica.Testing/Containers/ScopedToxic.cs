using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Testing.Containers;

/// <summary>
/// A toxic in place on a <see cref="TcpFaultProxy"/> until disposed (<c>using</c> or <c>await using</c>): disposing
/// removes it, once, and open connections carry on without it. A toxic already gone (removed by hand, the proxy reset)
/// is not an error.
/// </summary>
public sealed class ScopedToxic : IDisposable, IAsyncDisposable
{
    private readonly TcpProxy proxy;
    private Toxic toxic;
    private int removed;

    internal ScopedToxic(TcpProxy proxy, Toxic toxic)
    {
        this.proxy = proxy;
        this.toxic = toxic;
    }

    /// <summary>Its name on the proxy, e.g. <c>latency_downstream</c> (<c>latency_downstream_2</c> for a second one).</summary>
    public string Name => toxic.Name;

    /// <summary>The toxic as last added or updated: type, stream, toxicity and every attribute.</summary>
    public Toxic Toxic => toxic;

    /// <summary>Whether the scope has ended.</summary>
    public bool IsRemoved => Volatile.Read(ref removed) != 0;

    /// <summary>Changes attributes (merged key by key) and toxicity; open connections use the new values at once.</summary>
    /// <exception cref="ObjectDisposedException">the scope has ended</exception>
    /// <exception cref="ToxiproxyException">an attribute is invalid (nothing changes), or the toxic is gone</exception>
    public Toxic Update(ToxicUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        ObjectDisposedException.ThrowIf(IsRemoved, this);
        return toxic = proxy.UpdateToxic(toxic.Name, update);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref removed, 1) != 0)
        {
            return;
        }
        try
        {
            proxy.RemoveToxic(toxic.Name);
        }
        catch (ToxiproxyException e) when (e.StatusCode == 404)
        {
            // Removed by hand or by a reset meanwhile: the scope's job is done.
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"{toxic.Type} {toxic.Name} on {proxy.Name}";
}
