using Microsoft.Extensions.Logging;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Forwarding;
using Replica.Proxy.Edge.Tls;
using Replica.Proxy.Tcp.Network;

namespace Replica.Proxy.Edge;

/// <summary>How to start an <see cref="EdgeProxy"/>. An immutable value.</summary>
public sealed record EdgeProxyOptions
{
    /// <summary>HOST:PORT for client traffic; port 0 picks a free port (see <see cref="EdgeProxy.Url"/>).</summary>
    public string Listen { get; init; } = "127.0.0.1:0";

    /// <summary>Where requests go, tried in order. The proxy forwards to these upstreams and nowhere else.</summary>
    public IReadOnlyList<EdgeRoute> Routes { get; init; } = [];

    /// <summary>HOST:PORT of the admin API, or null for none. Anything but loopback requires <see cref="AdminToken"/>.</summary>
    public string? Admin { get; init; } = "127.0.0.1:0";

    /// <summary>When set, every admin request must carry <c>Authorization: Bearer TOKEN</c>.</summary>
    public string? AdminToken { get; init; }

    /// <summary>Seed of the fault random source; null picks one (read it back from <see cref="EdgeProxy.Seed"/>).</summary>
    public int? Seed { get; init; }

    /// <summary>Rules installed before the first request is accepted.</summary>
    public IReadOnlyList<FaultRule> Rules { get; init; } = [];

    /// <summary>
    /// How long a forwarded request may wait for the upstream, and an open WebSocket may stay silent, before the
    /// proxy ends it (YARP's activity timeout, 100 s by default, would close idle WebSockets). Frame delays longer than
    /// this end the connection too.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// False (the default): the proxy removes the permessage-deflate offer from WebSocket handshakes so that every
    /// frame can be read, dropped and injected safely. True: compression is negotiated end to end; compressed
    /// messages are then never dropped and never match a JSON frame predicate.
    /// </summary>
    public bool AllowWebSocketCompression { get; init; }

    /// <summary>
    /// Null: plain http:// and ws:// over HTTP/1.1. Set: https:// and wss://, with HTTP/2 offered by ALPN beside
    /// HTTP/1.1 (WebSockets over either, RFC 8441 on HTTP/2); the upstreams stay plain, as behind a load balancer.
    /// </summary>
    public EdgeTlsOptions? Tls { get; init; }

    /// <summary>
    /// The path between clients and the proxy: every accepted connection's bytes cross it with this round trip, jitter
    /// and rate, the TCP handshake and the TLS handshake included. Null or <see cref="LinkShape.None"/>: loopback as it is.
    /// </summary>
    public LinkShape? ClientNetwork { get; init; }

    /// <summary>Replica's tuned forwarding (the default) or YARP's defaults, which benchmarks compare it with.</summary>
    public ForwardingProfile Forwarding { get; init; } = ForwardingProfile.Tuned;

    /// <summary>
    /// Requests are processed on the socket threads (Kestrel's inline scheduling) instead of being handed to the thread
    /// pool. It pays only when the process also completes socket operations inline (see
    /// <see cref="InlineSocketCompletions"/>), which `replica proxy --inline-io` turns on for itself. On two cores,
    /// together they cut the proxy's CPU per request to 0.68–0.80× a bare YARP app's in five runs (2026-12-05), where
    /// the default measured 0.78–0.98×; in three later runs (2026-12-06) they saved nothing (0.87–0.96×, against
    /// 0.80–0.87×). In most runs they lengthened the p99 at 32 connections, by a few tenths of a millisecond to 2 ms
    /// (bench/RESULTS.md). That is why it is a choice and not the default. A process that does other work beside the
    /// proxy, as `replica up` does, leaves both off.
    /// </summary>
    public bool InlineIo { get; init; }

    /// <summary>
    /// The fault rules' clock: rule windows, cold-start gates, frame triggers, delays of requests and frames, bandwidth
    /// pacing, the wait for a client's close reply and the rules' <c>addedAt</c>. Tests pass a FakeTimeProvider and move
    /// time by hand. What belongs to the sockets keeps the real clock: Kestrel's and YARP's timeouts
    /// (<see cref="IdleTimeout"/>), <see cref="ClientNetwork"/> shaping (its own sub-millisecond scheduler) and the
    /// upstream latency measured for the metrics.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the fault log (one line per injected fault), YARP and Kestrel log; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
