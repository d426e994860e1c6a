using System.Collections.Immutable;
using Replica.Proxy.Tcp.Network;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Proxy.Tcp.Links;

/// <summary>
/// The stages of one link built from one version of the proxy's toxics and network shape, ending with the link's
/// writer.
/// </summary>
internal sealed class LinkChain
{
    private readonly ImmutableArray<ToxicStage> stages;

    public LinkChain(ImmutableArray<Toxic> source, LinkShape network, ImmutableArray<ToxicStage> stages, ToxicStage writer)
    {
        Source = source;
        Network = network;
        this.stages = stages;
        for (var i = 0; i < stages.Length; i++)
        {
            stages[i].Next = i + 1 < stages.Length ? stages[i + 1] : writer;
        }
        Head = stages.IsEmpty ? writer : stages[0];
        TimesFromArrival = stages.Any(s => s.TimesFromArrival);
    }

    /// <summary>Whether a stage reckons from chunks' arrival times (a latency toxic, the network path).</summary>
    public bool TimesFromArrival { get; }

    /// <summary>The proxy's toxic list this chain was built from; compared by identity to detect a change.</summary>
    public ImmutableArray<Toxic> Source { get; }

    /// <summary>The proxy's network shape this chain was built with; compared by identity too.</summary>
    public LinkShape Network { get; }

    /// <summary>Whether the chain was built from exactly these toxics and this shape.</summary>
    public bool IsBuiltFrom(ImmutableArray<Toxic> toxics, LinkShape network) => Source.Equals(toxics) && ReferenceEquals(Network, network);

    public ToxicStage Head { get; }

    public void Start()
    {
        foreach (var stage in stages)
        {
            stage.Start();
        }
    }

    public void Interrupt()
    {
        foreach (var stage in stages)
        {
            stage.Interrupt();
        }
    }

    /// <summary>Interrupts, flushes held chunks in order (head first, since a drained stage feeds the next) and stops.</summary>
    public async ValueTask RetireAsync()
    {
        Interrupt();
        foreach (var stage in stages)
        {
            await stage.DrainAsync();
        }
        foreach (var stage in stages)
        {
            stage.Stop();
        }
    }
}
