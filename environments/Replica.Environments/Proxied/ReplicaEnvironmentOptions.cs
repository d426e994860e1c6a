namespace Replica.Environments.Proxied;

/// <summary>How the proxies around an environment are set up. An immutable value.</summary>
public sealed record ReplicaEnvironmentOptions
{
    /// <summary>One seed for both proxies' random sources; null picks one (printed, recorded in the state).</summary>
    public int? Seed { get; init; }

    /// <summary>Where the Toxiproxy-compatible API listens (loopback; port 0 picks a free one).</summary>
    public string ToxiproxyHost { get; init; } = "127.0.0.1";

    public int ToxiproxyPort { get; init; }

    /// <summary>Where clients reach the services through the edge proxy (HOST:PORT; port 0 picks a free one).</summary>
    public string EdgeListen { get; init; } = "127.0.0.1:0";

    /// <summary>The edge proxy's admin API (loopback).</summary>
    public string EdgeAdmin { get; init; } = "127.0.0.1:0";

    /// <summary>False: services connect to their dependencies directly, with no TCP fault proxy in between.</summary>
    public bool ProxyDependencies { get; init; } = true;

    /// <summary>True or false overrides `x-replica.edge.tls`; null: as compose.yaml says.</summary>
    public bool? EdgeTls { get; init; }

    /// <summary>
    /// A network profile by name (`replica up --network`, a scenario's `network:`), overriding `x-replica.network`;
    /// null: as compose.yaml says (no profile: loopback as it is).
    /// </summary>
    public string? Network { get; init; }

    /// <summary>How errors name where <see cref="Network"/> came from: "--network", "r2.yaml:3:10: network".</summary>
    public string NetworkSetting { get; init; } = "network";

    /// <summary>The local certificate authority's directory for an issued edge certificate; null: the machine's default.</summary>
    public string? CertificateAuthorityDirectory { get; init; }
}
