using Microsoft.Extensions.Logging;

namespace Replica.Proxy.Tcp;

/// <summary>How to run a <see cref="ToxiproxyServer"/>. Port 0 picks an ephemeral port (see <see cref="ToxiproxyServer.ApiUrl"/>).</summary>
public sealed record ToxiproxyServerOptions
{
    /// <summary>Address of the HTTP API; "localhost" means 127.0.0.1, "0.0.0.0" every interface.</summary>
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 8474;

    /// <summary>Seed of every toxicity draw, jitter and slice; a random one when null (see <see cref="ToxiproxyServer.Seed"/>).</summary>
    public int? Seed { get; init; }

    /// <summary>Serve toxiproxy_proxy_{received,sent}_bytes_total on /metrics.</summary>
    public bool ProxyMetrics { get; init; }

    /// <summary>Serve process and runtime figures on /metrics.</summary>
    public bool RuntimeMetrics { get; init; }

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// The clock of the toxics' timers: startup_delay's refuse and hold windows (counted from the proxy's start, the
    /// toxic's creation or update, /reset) and timeout's idle close. Tests pass a FakeTimeProvider. The byte-stream
    /// toxics (latency, jitter, bandwidth, slicer, slow_close) and network shaping keep the real clock: they pace real
    /// bytes on sockets, with a sub-millisecond scheduler (Network/Timing) that a fake clock could not drive.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
