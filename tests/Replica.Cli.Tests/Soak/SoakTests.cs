using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Replica.Tests.Support;
using Xunit.Abstractions;

namespace Replica.Cli.Tests.Soak;

/// <summary>
/// The soak tier: a real `replica up --detach` environment, WebSocket agent runs and HTTP requests through its edge
/// for REPLICA_SOAK_MINUTES (default 2), while a fault is toggled every second — an edge abort rule, a Redis latency
/// toxic, a frame drop, the PostgreSQL edge down — each on for one second. Asserts: no run fails outside a fault
/// window (the window plus a grace for after-effects); the owner's RSS grows at most 10 % after warm-up; its file
/// descriptors and sockets come back to the warm-up baseline; `down` leaves no process, directory or listener.
/// Prints a summary and writes it as JSON (REPLICA_SOAK_JSON, default artifacts/test-results/soak.json).
/// </summary>
[Trait("Category", "Soak")]
public sealed class SoakTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(5);
    private static readonly string[] AgentFrames = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"];

    private readonly IsolatedStateStore _state = new();
    private readonly Stopwatch _clock = new();
    private readonly ConcurrentQueue<SoakRun> _runs = new();
    private readonly ConcurrentQueue<SoakFaultWindow> _windows = new();
    private CliRunner _cli = null!;

    public Task InitializeAsync()
    {
        _cli = new CliRunner(_state.Root);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _cli.Dispose();
        await _state.DisposeAsync();
    }

    [Fact]
    public async Task Traffic_through_toggled_faults_fails_only_inside_fault_windows_and_leaks_nothing()
    {
        var minutes = double.TryParse(Environment.GetEnvironmentVariable("REPLICA_SOAK_MINUTES"), CultureInfo.InvariantCulture, out var m) && m > 0 ? m : 2;
        var total = TimeSpan.FromMinutes(minutes);
        var warmUp = TimeSpan.FromSeconds(Math.Min(30, total.TotalSeconds / 4));

        var up = await _cli.RunAsync(["up", "--detach", "--name", "soak"], TimeSpan.FromMinutes(3));
        Assert.True(up.ExitCode == 0, up.ToString());
        var state = _state.Store.Read("soak")!;
        var owner = state.Owner.Pid;
        var servicePids = state.Services.Values.Select(s => s.Process!.Pid).ToList();
        var edge = new Uri(state.Endpoints["edge"]);
        var admin = new Uri(state.Endpoints["edge-admin"]);
        var toxiproxy = new Uri(state.Endpoints["toxiproxy-api"]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var token = await TokenAsync(http, edge);
        var faults = new SoakFaults(http, admin, toxiproxy);
        _clock.Start();

        // Warm-up: traffic and faults, then a quiet moment for the baseline.
        await TrafficAsync(http, edge, token, faults, warmUp);
        await faults.ClearAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var baseline = ProcessFootprint.Of(owner);
        var warmUpRuns = _runs.Count;

        await TrafficAsync(http, edge, token, faults, total - warmUp);
        await faults.ClearAsync();
        // Pooled and closing connections are given time to go (idle pooled HTTP connections live up to two minutes);
        // what stays above the baseline after that is a leak.
        var end = await Eventually.WaitAsync(() => Task.FromResult(ProcessFootprint.Of(owner)),
            f => f.FileDescriptors <= baseline.FileDescriptors && f.Sockets <= baseline.Sockets, TimeSpan.FromSeconds(150), "the owner's descriptors back to baseline")
            .ContinueWith(t => ProcessFootprint.Of(owner));

        var down = await _cli.RunAsync(["down", "--name", "soak"], TimeSpan.FromMinutes(2));
        var leftovers = servicePids.Append(owner).Where(ProcessTable.Alive).ToList();
        var edgeStillListens = await ListensAsync(edge);

        var runs = _runs.ToArray();
        var windows = _windows.ToArray();
        var failed = runs.Where(r => r.Failed).ToList();
        var outside = failed.Where(r => !windows.Any(w => w.Overlaps(r.Start, r.End))).ToList();
        var growth = (end.RssKiB - baseline.RssKiB) / (double)baseline.RssKiB;
        var summary = new
        {
            minutes,
            runs = runs.Length,
            websocketRuns = runs.Count(r => r.Kind == "websocket"),
            httpRuns = runs.Count(r => r.Kind == "http"),
            warmUpRuns,
            faultsApplied = windows.Length,
            failuresInsideWindows = failed.Count - outside.Count,
            failuresOutsideWindows = outside.Count,
            outsideExamples = outside.Take(5).Select(r => $"{r.Kind} {r.Start.TotalSeconds:0.0}-{r.End.TotalSeconds:0.0}s: {r.Failure}").ToList(),
            rssBaselineMiB = Math.Round(baseline.RssKiB / 1024.0, 1),
            rssEndMiB = Math.Round(end.RssKiB / 1024.0, 1),
            rssGrowthPercent = Math.Round(growth * 100, 1),
            fdsBaseline = baseline.FileDescriptors,
            fdsEnd = end.FileDescriptors,
            socketsBaseline = baseline.Sockets,
            socketsEnd = end.Sockets,
            downExitCode = down.ExitCode,
            leftoverProcesses = leftovers,
            edgeListensAfterDown = edgeStillListens,
            stateAfterDown = _state.Store.Names().ToList(),
        };
        var text = $"soak {minutes} min: {summary.runs} runs ({summary.websocketRuns} WebSocket, {summary.httpRuns} HTTP), {summary.faultsApplied} faults; " +
                   $"failures {summary.failuresInsideWindows} inside fault windows, {summary.failuresOutsideWindows} outside; " +
                   $"owner RSS {summary.rssBaselineMiB} → {summary.rssEndMiB} MiB ({summary.rssGrowthPercent:+0.0;-0.0} %), fds {summary.fdsBaseline} → {summary.fdsEnd}, " +
                   $"sockets {summary.socketsBaseline} → {summary.socketsEnd}; down exit {down.ExitCode}, leftovers {leftovers.Count}";
        output.WriteLine(text);
        foreach (var example in summary.outsideExamples)
        {
            output.WriteLine("  outside a window: " + example);
        }
        var results = Path.Combine(RepositoryPaths.Root, "artifacts", "test-results");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, "soak-summary.txt"), text + Environment.NewLine + string.Concat(summary.outsideExamples.Select(e => "  outside a window: " + e + Environment.NewLine)));
        await File.WriteAllTextAsync(Environment.GetEnvironmentVariable("REPLICA_SOAK_JSON") is { Length: > 0 } json ? json : Path.Combine(results, "soak.json"),
            JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));

        Assert.True(runs.Length > 0 && runs.Any(r => !r.Failed), text);
        Assert.True(outside.Count == 0, text);
        Assert.True(growth <= 0.10, $"owner RSS grew more than 10 % after warm-up: {text}");
        Assert.True(end.FileDescriptors <= baseline.FileDescriptors && end.Sockets <= baseline.Sockets, $"descriptors not back to baseline: {text}");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Empty(leftovers);
        Assert.False(edgeStillListens, "the edge still listens after down");
        Assert.Empty(_state.Store.Names());
        Assert.False(Directory.Exists(state.WorkDirectory));
    }

    private TimeSpan Now => _clock.Elapsed;

    // Two WebSocket loops, two HTTP loops and the fault toggler, for `duration`.
    private async Task TrafficAsync(HttpClient http, Uri edge, string token, SoakFaults faults, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        var loops = new List<Task>
        {
            LoopAsync("websocket", ct => WebSocketRunAsync(edge, token, ct), stop.Token),
            LoopAsync("websocket", ct => WebSocketRunAsync(edge, token, ct), stop.Token),
            LoopAsync("http", ct => HttpRunAsync(http, edge, ct), stop.Token),
            LoopAsync("http", ct => HttpRunAsync(http, edge, ct), stop.Token),
            faults.ToggleAsync(() => Now, Grace, _windows, stop.Token),
        };
        await Task.WhenAll(loops);
    }

    private async Task LoopAsync(string kind, Func<CancellationToken, Task<string?>> run, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var start = Now;
            string? failure;
            try
            {
                failure = await run(CancellationToken.None);
            }
            catch (Exception e) when (e is HttpRequestException or WebSocketException or IOException or TaskCanceledException or JsonException)
            {
                failure = $"{e.GetType().Name}: {e.Message}";
            }
            _runs.Enqueue(new SoakRun(kind, start, Now, failure));
            if (kind == "http")
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }

    private static async Task<string?> HttpRunAsync(HttpClient http, Uri edge, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(edge, "/health"), ct);
        return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
    }

    // One agent run: the welcome frame, then start_agent and its five events in order (pings may come between).
    private static async Task<string?> WebSocketRunAsync(Uri edge, string token, CancellationToken ct)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        using var handshake = new CancellationTokenSource(FrameTimeout);
        await socket.ConnectAsync(new UriBuilder(edge) { Scheme = "ws", Path = "/ws" }.Uri, handshake.Token);
        if (await NextTypeAsync(socket, "system_message") is { } welcomeFailure)
        {
            return welcomeFailure;
        }
        var start = JsonSerializer.SerializeToUtf8Bytes(new { type = "start_agent", payload = new { user_request = "soak" } });
        await socket.SendAsync(start, WebSocketMessageType.Text, true, ct);
        foreach (var expected in AgentFrames)
        {
            if (await NextTypeAsync(socket, expected) is { } failure)
            {
                return failure;
            }
        }
        using var closing = new CancellationTokenSource(FrameTimeout);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", closing.Token);
        return null;
    }

    private static async Task<string?> NextTypeAsync(ClientWebSocket socket, string expected)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            using var timeout = new CancellationTokenSource(FrameTimeout);
            var text = new StringBuilder();
            WebSocketReceiveResult result;
            try
            {
                do
                {
                    result = await socket.ReceiveAsync(buffer, timeout.Token);
                    text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
                while (!result.EndOfMessage);
            }
            catch (OperationCanceledException)
            {
                return $"timeout waiting for {expected}";
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return $"close {(int?)socket.CloseStatus} \"{socket.CloseStatusDescription}\" waiting for {expected}";
            }
            var type = JsonNode.Parse(text.ToString())?["type"]?.GetValue<string>();
            if (type == expected)
            {
                return null;
            }
            if (type is not ("ping" or "heartbeat"))
            {
                return $"{type} instead of {expected}";
            }
        }
    }

    private static async Task<string> TokenAsync(HttpClient http, Uri edge)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(edge, "/auth/e2e/test-auth"))
        {
            Content = JsonContent.Create(new { email = "soak@example.com", name = "Soak", permissions = new[] { "read", "write" } }),
        };
        request.Headers.Add("X-E2E-Bypass-Key", "replica-e2e-bypass-key");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    private static async Task<bool> ListensAsync(Uri endpoint)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(endpoint.Host, endpoint.Port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
