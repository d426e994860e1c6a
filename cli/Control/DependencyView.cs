namespace Replica.Cli.Control;

/// <summary>A dependency between two services as the state shows it: its proxy (when it has one) and that proxy's toxics.</summary>
internal sealed record DependencyView(
    string Name, string Dependent, string Dependency, string? Listen, string Upstream, bool Enabled, bool Proxied,
    IReadOnlyList<ToxicView> Toxics);
