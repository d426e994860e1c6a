using System.Diagnostics;
using System.Net;
using Replica.Proxy.Edge.Tls;
using Replica.Proxy.Tcp.Network;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

/// <summary>
/// The path between clients and the edge proxy, shaped: a new connection's first request pays the connect's round
/// trip and its own, TLS adds the handshake's, an open WebSocket pays one per echo, and the rate paces a body. Lower
/// bounds are exact (a shaped path is never faster than its shape); upper bounds are generous for a loaded machine.
/// </summary>
[Collection(TimingCollection.Name)]
[Trait("Category", TimingCollection.Category)]
public sealed class NetworkShapeTests : IDisposable
{
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(100);
    private readonly ScratchDirectory _scratch = new("replica-shape-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_new_connection_pays_the_connect_and_the_request_round_trips_and_a_reused_one_only_the_request()
    {
        await using var h = await ProxyHarness.StartAsync(o => o with { ClientNetwork = new LinkShape(RoundTrip) });
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = h.Proxy.Url };

        var first = await TimeAsync(() => http.GetAsync("/api/x"));
        var again = await TimeAsync(() => http.GetAsync("/api/x"));

        Assert.InRange(first, 200, 3000);
        Assert.InRange(again, 100, 2000);
    }

    [Fact]
    public async Task With_tls_the_handshake_pays_its_round_trip_too()
    {
        await using var h = await ProxyHarness.StartAsync(o => o with
        {
            ClientNetwork = new LinkShape(RoundTrip),
            Tls = new EdgeTlsOptions { AuthorityDirectory = Path.Combine(_scratch.Path, "ca") },
        });
        using var http = TrustingClients.Http(h.Proxy.CertificateAuthorityPath!);

        var first = await TimeAsync(() => http.GetAsync(new Uri(h.Proxy.Url, "/api/x")));

        // TCP connect, TLS 1.3 handshake, request: three round trips.
        Assert.InRange(first, 300, 4000);
    }

    [Fact]
    public async Task WebSocket_frames_cross_the_path_both_ways()
    {
        await using var h = await ProxyHarness.StartAsync(o => o with { ClientNetwork = new LinkShape(RoundTrip) });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var ws = await WebSocketTestClient.ConnectAsync(h.Proxy.Url, "/ws/echo", cts.Token);

        var samples = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await ws.SendAsync($"echo {i}", cts.Token);
            Assert.Equal($"echo {i}", await ws.ReceiveAsync(cts.Token));
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        Assert.All(samples, s => Assert.InRange(s, 100, 2000));
    }

    [Fact]
    public async Task The_rate_paces_a_response_body()
    {
        await using var h = await ProxyHarness.StartAsync(o => o with { ClientNetwork = new LinkShape(TimeSpan.Zero, BytesPerSecond: 1_000_000) });
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = h.Proxy.Url };

        var elapsed = await TimeAsync(async () =>
        {
            var response = await http.GetAsync("/big?bytes=300000");
            Assert.Equal(300_000, (await response.Content.ReadAsByteArrayAsync()).Length);
            return response;
        });

        Assert.InRange(elapsed, 290, 5000);
    }

    [Fact]
    public async Task Jittered_round_trips_stay_within_rtt_plus_or_minus_jitter_and_never_below()
    {
        await using var h = await ProxyHarness.StartAsync(o => o with { ClientNetwork = new LinkShape(RoundTrip, TimeSpan.FromMilliseconds(40)) });
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = h.Proxy.Url };
        await http.GetAsync("/api/warm-up");

        var samples = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            samples.Add(await TimeAsync(() => http.GetAsync("/api/x")));
        }

        Assert.All(samples, s => Assert.InRange(s, 60, 2000));
        Assert.True(samples.Max() - samples.Min() > 1, $"no variation in {string.Join(", ", samples)}");
    }

    [Fact]
    public async Task An_impossible_shape_is_refused_before_anything_listens()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            ProxyHarness.StartAsync(o => o with { ClientNetwork = new LinkShape(TimeSpan.FromMilliseconds(10), BytesPerSecond: 0) }));

        Assert.Contains("ClientNetwork: bandwidth: must be positive", error.Message);
    }

    private static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> request)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await request();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
