using Microsoft.Extensions.Logging;

namespace Replica.Testing.Containers;

/// <summary>How a <see cref="TcpFaultProxy"/> listens. The defaults suit a test: an ephemeral port on 127.0.0.1.</summary>
public sealed record TcpFaultProxyOptions
{
    /// <summary>The proxy's name in log lines; by default the container image's name and port (<c>redis_6379</c>).</summary>
    public string? Name { get; init; }

    /// <summary>The address the proxy listens on: an IP address of this machine, or <c>localhost</c> (127.0.0.1).</summary>
    public string ListenHost { get; init; } = "127.0.0.1";

    /// <summary>The port the proxy listens on; 0 (the default) picks a free one (see <see cref="TcpFaultProxy.Port"/>).</summary>
    public int ListenPort { get; init; }

    /// <summary>Seed of every toxicity draw, jitter and slice, so a run can be repeated; random when null.</summary>
    public int? Seed { get; init; }

    /// <summary>Where the proxy logs (one line per start, stop and toxic decision at debug level); nowhere when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
