using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using Replica.Environments.Hosting;
using Replica.Environments.State;

namespace Replica.Bench.Staging;

/// <summary>
/// N concurrent authenticated WebSocket clients (tokens from the auth service's E2E endpoint, one user each), each
/// running one agent run through the reference backend on real Redis and PostgreSQL with AGENT_EVENT_DELAY=0ms.
/// Checks that every client got the five events in order and that every run is recorded; reports the time to the
/// welcome frame, the run time (start_agent → agent_completed), the wall time of the round and the backend's memory.
/// </summary>
public sealed class AgentRunsBenchmark : IBenchmark
{
    private static readonly string[] Expected = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"];

    public string Name => "staging-agent-runs";

    public string Description => "reference backend: N concurrent WebSocket clients, one agent run each (args: [clients=500] [rounds=3] [compose.yaml])";

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var clients = BenchArguments.Int(args, 0, "clients", 500);
        var rounds = BenchArguments.Int(args, 1, "rounds", 3);
        var compose = BenchArguments.Text(args, 2, "compose.yaml");
        var state = Directory.CreateTempSubdirectory("replica-bench-state-").FullName;
        var failures = 0;
        try
        {
            await using var environment = await new EnvironmentBuilder().WithComposeFile(compose).WithName("bench-agent-runs").WithStateDirectory(state)
                .WithSetting("backend", "AGENT_EVENT_DELAY", "0ms")
                .Build().StartAsync(cancellationToken);
            var backend = environment["backend"].Endpoint!;
            var pid = environment["backend"].Instance!.ProcessId!.Value;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var key = environment.Topology["auth"].Environment["E2E_OAUTH_SIMULATION_KEY"];
            output.WriteLine($"backend {backend} (pid {pid}); minting {clients} tokens through the auth service …");
            var tokens = await MintTokensAsync(http, $"http://{environment["auth"].Endpoint}", key, clients, cancellationToken);
            output.WriteLine($"backend memory before: {Memory(pid)}");

            for (var round = 0; round <= rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                var results = await Task.WhenAll(tokens.Select(t => RunClientAsync(backend.ToString(), t, cancellationToken)));
                var wall = clock.Elapsed;
                var failed = results.Where(r => r.Error is not null).ToList();
                var label = round == 0 ? "warm-up" : $"round {round}";
                output.WriteLine($"{label}: {clients} clients, wall {wall.TotalSeconds:0.000} s, all five events to {clients - failed.Count}/{clients}; " +
                                 $"welcome p50 {Percentile(results, r => r.Welcome, 50):0} ms p99 {Percentile(results, r => r.Welcome, 99):0} ms; " +
                                 $"run p50 {Percentile(results, r => r.Run, 50):0} ms p99 {Percentile(results, r => r.Run, 99):0} ms max {Percentile(results, r => r.Run, 100):0} ms; " +
                                 $"backend {Memory(pid)}");
                foreach (var failure in failed.Take(5))
                {
                    output.WriteLine($"  failed: {failure.Error}");
                }
                if (round > 0)
                {
                    failures += failed.Count;
                }
            }

            var pg = environment["postgres"].Endpoint!;
            await using var db = new NpgsqlConnection($"Host={pg.Host};Port={pg.Port};Username=netra;Password=netra;Database=netra;Pooling=false");
            await db.OpenAsync(cancellationToken);
            var recorded = (long)(await new NpgsqlCommand("SELECT count(*) FROM agent_runs WHERE status = 'completed'", db).ExecuteScalarAsync(cancellationToken))!;
            output.WriteLine($"runs recorded as completed in PostgreSQL: {recorded} (expected {clients * (rounds + 1)})");
            if (recorded != clients * (rounds + 1))
            {
                failures++;
            }
        }
        finally
        {
            await new OrphanReaper(new StateStore(state)).ReapAllAsync(CancellationToken.None);
            Directory.Delete(state, recursive: true);
        }
        output.WriteLine(failures == 0 ? "result: every client got the five events in order" : $"result: {failures} failure(s)");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<List<string>> MintTokensAsync(HttpClient http, string auth, string key, int count, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(32);
        var tokens = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{auth}/auth/e2e/test-auth")
                {
                    Content = JsonContent.Create(new { email = $"bench-{i}@example.com", name = $"Bench {i}" }),
                };
                request.Headers.Add("X-E2E-Bypass-Key", key);
                using var response = await http.SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
                return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["access_token"]!.GetValue<string>();
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. tokens];
    }

    private static async Task<ClientRunResult> RunClientAsync(string backend, string token, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(120));
        var clock = Stopwatch.StartNew();
        double welcome = 0;
        try
        {
            await socket.ConnectAsync(new Uri($"ws://{backend}/ws"), deadline.Token);
            if (await ReceiveAsync(socket, deadline.Token) is not "system_message")
            {
                return new ClientRunResult(0, 0, "the first frame was not the welcome");
            }
            welcome = clock.Elapsed.TotalMilliseconds;
            var started = clock.Elapsed;
            await socket.SendAsync("""{"type":"start_agent","payload":{"user_request":"Summarise last month's infrastructure costs"}}"""u8.ToArray(),
                WebSocketMessageType.Text, true, deadline.Token);
            var seen = new List<string>();
            while (seen.Count < Expected.Length)
            {
                var type = await ReceiveAsync(socket, deadline.Token);
                if (type != "ping")
                {
                    seen.Add(type);
                }
            }
            var run = (clock.Elapsed - started).TotalMilliseconds;
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
            return seen.SequenceEqual(Expected) ? new ClientRunResult(welcome, run, null) : new ClientRunResult(welcome, run, $"events {string.Join(",", seen)}");
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException)
        {
            return new ClientRunResult(welcome, 0, $"{ex.GetType().Name}: {ex.Message} (close {(int?)socket.CloseStatus} '{socket.CloseStatusDescription}')");
        }
    }

    private static async Task<string> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("closed by the server");
            }
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!["type"]!.GetValue<string>();
    }

    private static double Percentile(IReadOnlyList<ClientRunResult> results, Func<ClientRunResult, double> value, int percentile) =>
        Percentiles.Of(results.Where(r => r.Error is null).Select(value).Order().ToList(), percentile);

    /// <summary>The backend's resident memory now and at its peak, from /proc.</summary>
    private static string Memory(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        string Field(string name) => status.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        return $"RSS {Field("VmRSS")} (peak {Field("VmHWM")})";
    }
}
