namespace Replica.Proxy.Tcp.Toxics;

/// <summary>Every toxic type the API accepts. "down" is not one: it is <c>enabled: false</c> on the proxy, as in Toxiproxy.</summary>
public static class ToxicKinds
{
    private static readonly Dictionary<string, ToxicKind> ByName = new[]
    {
        NoopToxic.Kind,
        LatencyToxic.Kind,
        BandwidthToxic.Kind,
        SlowCloseToxic.Kind,
        TimeoutToxic.Kind,
        ResetPeerToxic.Kind,
        SlicerToxic.Kind,
        LimitDataToxic.Kind,
        StartupDelayToxic.Kind,
    }.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>The type names, as the API spells them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ByName.Keys];

    internal static ToxicKind? Find(string? type) => type is not null && ByName.TryGetValue(type, out var kind) ? kind : null;
}
