using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Verification;
using Replica.Environments.Compose;
using Replica.Tests.Support;

namespace Replica.Environments.Tests.Proxied;

/// <summary>
/// What a client of staging sees, on the replica: wss:// through a certificate it can verify, agent turns over
/// HTTP/1.1 and HTTP/2 WebSockets, the round trips of a cloud load balancer in every handshake — and R2 still
/// reproducing, and its fix still holding, through all of it.
/// </summary>
[Collection(TlsStagingCollection.Name)]
public sealed class TlsStagingTests(TlsStagingEnvironment fixture)
{
    private static readonly string[] AgentTurn = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"];

    private string Authority => fixture.Environment.EdgeCertificateAuthority!;

    private Uri WebSocketUrl => new UriBuilder(fixture.EdgeUrl) { Scheme = "wss", Path = "/ws" }.Uri;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_dotnet_ClientWebSocket_runs_an_agent_turn_over_wss(bool http2)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var token = await TokenAsync(cts.Token);

        await using var ws = await TrustingClients.WebSocketAsync(WebSocketUrl, Authority, http2, cts.Token,
            o => o.SetRequestHeader("Authorization", $"Bearer {token}"));
        await ws.SendAsync("""{"type":"start_agent","payload":{"user_request":"Why did my cloud bill double?"}}""", cts.Token);
        var seen = new List<string>();
        while (!seen.Contains("agent_completed"))
        {
            var message = await ws.ReceiveAsync(cts.Token) ?? throw new InvalidOperationException($"closed {ws.Socket.CloseStatus} after {string.Join(", ", seen)}");
            seen.Add(JsonDocument.Parse(message).RootElement.GetProperty("type").GetString()!);
        }

        Assert.Equal("https", fixture.EdgeUrl.Scheme);
        Assert.Equal(AgentTurn, seen.Where(AgentTurn.Contains));
        Assert.Equal("system_message", seen[0]);
    }

    /// <summary>
    /// The two clients staging's own tests use, trusting the local authority the way `replica ca` tells them to:
    /// curl with --cacert signs in, and Python's websockets, given SSL_CERT_FILE, runs the agent turn over wss://.
    /// </summary>
    [Fact]
    public async Task Curl_with_cacert_signs_in_and_python_websockets_with_ssl_cert_file_runs_an_agent_turn_over_wss()
    {
        var timeout = TimeSpan.FromSeconds(60);
        var curl = new ProcessStartInfo("curl")
        {
            ArgumentList =
            {
                "--silent", "--show-error", "--fail", "--cacert", Authority, "--max-time", "30",
                "-H", "Content-Type: application/json", "-H", "X-E2E-Bypass-Key: replica-e2e-bypass-key",
                "--data", """{"email":"tls@example.com","name":"TLS","permissions":["read","write"]}""",
                new Uri(fixture.EdgeUrl, "/auth/e2e/test-auth").ToString(),
            },
        };
        var signIn = await ChildProcess.RunAsync(curl, "curl --cacert", timeout);
        Assert.True(signIn.ExitCode == 0, signIn.ToString());
        var token = JsonDocument.Parse(signIn.StandardOutput).RootElement.GetProperty("access_token").GetString()!;

        // Debian's interpreter, which has Debian's python3-websockets (`./replica test` installs it when missing).
        var python = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { "-c", PythonAgentTurn, WebSocketUrl.ToString(), token },
            Environment = { ["SSL_CERT_FILE"] = Authority },
        };
        var turn = await ChildProcess.RunAsync(python, "python3 websockets", timeout);

        Assert.True(turn.ExitCode == 0, turn.ToString());
        var seen = turn.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("system_message", seen[0]);
        Assert.Equal(AgentTurn, seen.Where(AgentTurn.Contains));
    }

    /// <summary>Connects with websockets' default TLS context (which reads SSL_CERT_FILE) and prints each event's type.</summary>
    private const string PythonAgentTurn = """
        import asyncio, json, sys
        import websockets

        async def turn(url, token):
            async with websockets.connect(url, extra_headers={"Authorization": "Bearer " + token}, open_timeout=30) as ws:
                await ws.send(json.dumps({"type": "start_agent", "payload": {"user_request": "Why did my cloud bill double?"}}))
                while True:
                    kind = json.loads(await asyncio.wait_for(ws.recv(), 30))["type"]
                    print(kind, flush=True)
                    if kind == "agent_completed":
                        return

        asyncio.run(turn(sys.argv[1], sys.argv[2]))
        """;

    [Fact]
    public async Task The_staging_profile_puts_its_round_trips_in_an_unauthenticated_websocket_attempt()
    {
        var profile = NetworkProfiles.Staging.Clients;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var started = Stopwatch.GetTimestamp();
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => TrustingClients.WebSocketAsync(WebSocketUrl, Authority, http2: false, cts.Token));
        var elapsed = Stopwatch.GetElapsedTime(started);

        // TCP connect, TLS 1.3 handshake, the upgrade request: three round trips, each at least rtt − jitter. The seed
        // platform's own staging test calls anything under 0.1 s "too fast — likely fake".
        Assert.Contains("403", refused.Message);
        Assert.Equal("staging", fixture.Environment.Network.Name);
        Assert.True(elapsed >= 3 * (profile.RoundTrip - profile.Jitter), $"an unauthenticated attempt took {elapsed.TotalMilliseconds:0} ms");
        Assert.True(elapsed > TimeSpan.FromSeconds(0.1));
    }

    [Fact]
    public async Task R2_reproduces_and_its_fix_holds_with_tls_on()
    {
        var (scenario, _) = ScenarioLoader.Load(Path.Combine(ScenarioFiles.Directory, "r2-websocket-1011-redis-late.yaml"));

        var report = await ScenarioVerifier.VerifyAsync(fixture.Environment, scenario, [scenario.Variant("baseline"), scenario.Variant("fixed")],
            2, TimeSpan.Zero, fixture.Environment.Environment.Runtime.Name, null, CancellationToken.None);

        var baseline = report.Variants.Single(v => v.Variant == "baseline");
        var fixedVariant = report.Variants.Single(v => v.Variant == "fixed");
        Assert.Equal(Verdict.Reproduced, baseline.Verdict);
        Assert.Equal(Verdict.Fixed, fixedVariant.Verdict);
        Assert.Equal("https", fixture.EdgeUrl.Scheme); // the probes went through the edge: wss://
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        using var http = TrustingClients.Http(Authority);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.EdgeUrl, "/auth/e2e/test-auth"))
        {
            Content = JsonContent.Create(new { email = "tls@example.com", name = "TLS", permissions = new[] { "read", "write" } }),
        };
        request.Headers.Add("X-E2E-Bypass-Key", "replica-e2e-bypass-key");
        using var response = await http.SendAsync(request, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("access_token").GetString()!;
    }
}
