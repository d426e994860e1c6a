using System.Collections.Concurrent;
using System.Text;

namespace Replica.Cli.Tests.Soak;

/// <summary>
/// The soak's faults, through the running environment's own APIs: one applied every other second and removed a
/// second later, in turn — an edge abort of /health, a Redis latency toxic, a drop of agent_thinking frames, the
/// PostgreSQL edge down. Each application is recorded as a window (applied … removed + grace).
/// </summary>
internal sealed class SoakFaults(HttpClient http, Uri admin, Uri toxiproxy)
{
    private static readonly (string Name, string Method, string Path, string Body, string UndoMethod, string UndoPath, string? UndoBody, bool Admin)[] Cycle =
    [
        ("edge abort /health 503", "POST", "/rules", """{"id":"soak-abort","match":{"path":"/health"},"action":{"abort":{"status":503}}}""", "DELETE", "/rules/soak-abort", null, true),
        ("redis latency 200 ms", "POST", "/proxies/backend_redis/toxics", """{"name":"soak-latency","type":"latency","attributes":{"latency":200}}""", "DELETE", "/proxies/backend_redis/toxics/soak-latency", null, false),
        ("drop agent_thinking frames", "POST", "/rules", """{"id":"soak-drop","match":{"websocket":true},"action":{"frameDrop":{"frame":{"type":"agent_thinking"}}}}""", "DELETE", "/rules/soak-drop", null, true),
        ("postgres edge down", "POST", "/proxies/backend_postgres", """{"enabled":false}""", "POST", "/proxies/backend_postgres", """{"enabled":true}""", false),
    ];

    private int _next;

    public async Task ToggleAsync(Func<TimeSpan> now, TimeSpan grace, ConcurrentQueue<SoakFaultWindow> windows, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var fault = Cycle[_next++ % Cycle.Length];
            var from = now();
            await SendAsync(fault.Method, fault.Path, fault.Body, fault.Admin);
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            await SendAsync(fault.UndoMethod, fault.UndoPath, fault.UndoBody, fault.Admin);
            windows.Enqueue(new SoakFaultWindow(fault.Name, from, now() + grace));
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Removes whatever a fault left (all undo requests; a 404 for one not in place is fine).</summary>
    public async Task ClearAsync()
    {
        foreach (var fault in Cycle)
        {
            using var request = Request(fault.UndoMethod, fault.UndoPath, fault.UndoBody, fault.Admin);
            using var _ = await http.SendAsync(request);
        }
    }

    private async Task SendAsync(string method, string path, string? body, bool toAdmin)
    {
        using var request = Request(method, path, body, toAdmin);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"soak fault {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private HttpRequestMessage Request(string method, string path, string? body, bool toAdmin) =>
        new(new HttpMethod(method), new Uri(toAdmin ? admin : toxiproxy, path))
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
}
