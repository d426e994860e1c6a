using Replica.Proxy.Edge.Forwarding;

namespace Replica.Cli.Environments;

/// <summary>What `up` was told by <see cref="ControlOptions"/>: settings per service, the dashboard's address (as parsed and as written) and its token.</summary>
internal sealed record ControlSelection(
    IReadOnlyList<(string Service, string Key, string Value)> Settings,
    ListenEndpoint Listen,
    string Listening,
    string? Token);
