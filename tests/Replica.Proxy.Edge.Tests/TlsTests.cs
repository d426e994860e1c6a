using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Replica.Environments.Processes;
using Replica.Proxy.Edge;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;
using Replica.Proxy.Edge.Forwarding;
using Replica.Proxy.Edge.Tls;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

/// <summary>
/// TLS at the edge: https:// and wss:// with a certificate from a local certificate authority (a scratch one per
/// test, never the machine's), HTTP/2 by ALPN, WebSockets over HTTP/1.1 and over HTTP/2 (RFC 8441), the upstreams
/// still plain; and every bad setting refused by name before anything listens.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ScratchDirectory _scratch = new("replica-tls-");

    private string AuthorityDirectory => Path.Combine(_scratch.Path, "ca");

    public void Dispose() => _scratch.Dispose();

    private Task<ProxyHarness> StartTlsAsync(EdgeTlsOptions? tls = null) =>
        ProxyHarness.StartAsync(o => o with { Tls = tls ?? new EdgeTlsOptions { AuthorityDirectory = AuthorityDirectory } });

    [Fact]
    public async Task Https_offers_HTTP2_and_HTTP11_with_a_certificate_that_clients_trusting_the_local_authority_accept()
    {
        await using var h = await StartTlsAsync();
        using var http = TrustingClients.Http(h.Proxy.CertificateAuthorityPath!);

        using var h2 = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(h.Proxy.Url, "/api/x"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
        using var h1 = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(h.Proxy.Url, "/auth/health")) { Version = HttpVersion.Version11 });
        using var untrusting = new HttpClient { Timeout = Timeout };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(new Uri(h.Proxy.Url, "/api/x")));

        Assert.Equal("https", h.Proxy.Url.Scheme);
        Assert.Equal(Path.Combine(AuthorityDirectory, "ca.crt"), h.Proxy.CertificateAuthorityPath);
        Assert.Equal((HttpVersion.Version20, "backend"), (h2.Version, (await h2.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("upstream").GetString()));
        Assert.Equal((HttpVersion.Version11, "auth"), (h1.Version, (await h1.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("upstream").GetString()));
        Assert.IsType<AuthenticationException>(refused.InnerException);
        Assert.Equal(2, h.Backend.HttpRequests + h.Auth.HttpRequests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Wss_over_HTTP11_and_over_HTTP2_reaches_the_plain_upstream_and_frame_rules_act_on_it(bool http2)
    {
        await using var h = await StartTlsAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var url = new UriBuilder(h.Proxy.Url) { Scheme = "wss", Path = "/ws/agent" }.Uri;
        // Written against the handshake's GET: over HTTP/2 the handshake is a CONNECT, and the rule must match it too.
        h.Proxy.Rules.Add(FaultRule.Create(new FrameDropAction(FrameDirection.ToClient, FrameMatch.Field("type", "agent_thinking")),
            new RequestMatch(Method: "GET", WebSocket: true), id: "drop-thinking"));

        await using var ws = await TrustingClients.WebSocketAsync(url, h.Proxy.CertificateAuthorityPath!, http2, cts.Token);
        await ws.SendAsync("""{"type":"start_agent"}""", cts.Token);
        var received = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            received.Add(JsonDocument.Parse((await ws.ReceiveAsync(cts.Token))!).RootElement.GetProperty("type").GetString()!);
        }

        Assert.Equal(http2 ? HttpStatusCode.OK : HttpStatusCode.SwitchingProtocols, ws.Socket.HttpStatusCode);
        Assert.Equal(["agent_started", "tool_executing", "tool_completed", "agent_completed"], received);
        Assert.Equal("""{"type":"start_agent"}""", Assert.Single(h.Backend.ReceivedMessages));
        Assert.Equal(1, h.Proxy.Counters.WebSocketMessagesDropped);
    }

    [Fact]
    public async Task The_authority_is_made_once_per_directory_and_its_key_is_readable_by_its_owner_only()
    {
        await using (await StartTlsAsync())
        {
        }
        var first = File.ReadAllText(Path.Combine(AuthorityDirectory, "ca.crt"));
        await using var again = await StartTlsAsync();

        Assert.Equal(first, File.ReadAllText(again.Proxy.CertificateAuthorityPath!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(AuthorityDirectory, "ca.key")));
        Assert.Equal(["ca.crt", "ca.key"], Directory.GetFiles(AuthorityDirectory).Select(Path.GetFileName).Order());
        Assert.Equal([AuthorityDirectory], Directory.GetDirectories(_scratch.Path));
    }

    [Fact]
    public async Task Processes_racing_to_make_the_authority_end_up_with_the_same_one()
    {
        var authorities = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => CertificateAuthority.OpenOrCreate(AuthorityDirectory))));

        Assert.Single(authorities.Select(a => a.Certificate.Thumbprint).Distinct());
        Assert.Single(Directory.GetDirectories(_scratch.Path));
    }

    [Fact]
    public async Task The_issued_certificate_covers_the_configured_host_names_and_no_others()
    {
        await using var h = await StartTlsAsync(new EdgeTlsOptions { AuthorityDirectory = AuthorityDirectory, Hosts = ["api.staging.replica.test"] });
        using var http = TrustingClients.Http(h.Proxy.CertificateAuthorityPath!, toLoopback: true);

        using var named = await http.GetAsync($"https://api.staging.replica.test:{h.Proxy.Url.Port}/api/x");
        using var localhost = await http.GetAsync($"https://localhost:{h.Proxy.Url.Port}/api/x");
        var other = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"https://auth.staging.replica.test:{h.Proxy.Url.Port}/api/x"));

        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        Assert.Equal(HttpStatusCode.OK, localhost.StatusCode);
        Assert.IsType<AuthenticationException>(other.InnerException);
    }

    [Fact]
    public async Task An_own_certificate_and_key_are_served_instead_of_an_issued_one()
    {
        var (certificate, key, authority) = OwnCertificate(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        await using var h = await StartTlsAsync(new EdgeTlsOptions { CertificateFile = certificate, KeyFile = key });
        using var http = TrustingClients.Http(authority);
        using var response = await http.GetAsync(new Uri(h.Proxy.Url, "/api/x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(h.Proxy.CertificateAuthorityPath);
        Assert.False(Directory.Exists(AuthorityDirectory));
    }

    [Fact]
    public async Task Bad_certificate_settings_name_the_setting_and_nothing_listens()
    {
        var (certificate, key, _) = OwnCertificate(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var (expired, expiredKey, _) = OwnCertificate(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        var (_, otherKey, _) = OwnCertificate(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var corrupt = Path.Combine(_scratch.Path, "corrupt-ca");
        Directory.CreateDirectory(corrupt);
        File.WriteAllText(Path.Combine(corrupt, "ca.crt"), "not a certificate");
        File.WriteAllText(Path.Combine(corrupt, "ca.key"), "not a key");
        var port = PortAllocator.Ephemeral();

        async Task<TlsSettingsException> Refused(EdgeTlsOptions tls) => await Assert.ThrowsAsync<TlsSettingsException>(() =>
            ProxyHarness.StartAsync(o => o with { Listen = $"127.0.0.1:{port}", Tls = tls }));

        var missing = await Refused(new EdgeTlsOptions { CertificateFile = Path.Combine(_scratch.Path, "nope.pem"), KeyFile = key });
        var mismatch = await Refused(new EdgeTlsOptions { CertificateFile = certificate, KeyFile = otherKey });
        var keyless = await Refused(new EdgeTlsOptions { CertificateFile = certificate });
        var old = await Refused(new EdgeTlsOptions { CertificateFile = expired, KeyFile = expiredKey });
        var host = await Refused(new EdgeTlsOptions { AuthorityDirectory = AuthorityDirectory, Hosts = ["bad host!"] });
        var unreadable = await Refused(new EdgeTlsOptions { AuthorityDirectory = corrupt });

        Assert.Equal(TlsSetting.Certificate, missing.Setting);
        Assert.Contains("nope.pem: no such file", missing.Message);
        Assert.Equal(TlsSetting.Key, mismatch.Setting);
        Assert.Contains("not a PEM private key matching", mismatch.Message);
        Assert.Equal(TlsSetting.Key, keyless.Setting);
        Assert.Equal(TlsSetting.Certificate, old.Setting);
        Assert.Contains("not now", old.Message);
        Assert.Equal(TlsSetting.Hosts, host.Setting);
        Assert.Contains("'bad host!' is neither a DNS name", host.Message);
        Assert.Equal(TlsSetting.Authority, unreadable.Setting);
        Assert.Contains($"remove {corrupt}", unreadable.Message);
        using var probe = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task A_port_in_use_is_an_error_naming_the_listen_setting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var listen = await Assert.ThrowsAsync<ProxyListenException>(() => ProxyHarness.StartAsync(o => o with { Listen = $"127.0.0.1:{port}" }));
        var admin = await Assert.ThrowsAsync<ProxyListenException>(() => ProxyHarness.StartAsync(o => o with { Admin = $"127.0.0.1:{port}" }));

        Assert.Equal(("Listen", $"127.0.0.1:{port}", true), (listen.Setting, listen.Address, listen.AddressInUse));
        Assert.Equal(("Admin", true), (admin.Setting, admin.AddressInUse));
    }

    /// <summary>A certificate for localhost signed by a throwaway authority: the PEM files, and the authority's certificate file.</summary>
    private (string Certificate, string Key, string Authority) OwnCertificate(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=test authority " + id, authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var authority = authorityRequest.CreateSelfSigned(notBefore.AddDays(-1), notAfter.AddDays(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = request.Create(authority, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
        return (_scratch.Write($"{id}.crt", leaf.ExportCertificatePem()), _scratch.Write($"{id}.key", key.ExportPkcs8PrivateKeyPem()),
            _scratch.Write($"{id}-authority.crt", authority.ExportCertificatePem()));
    }
}
