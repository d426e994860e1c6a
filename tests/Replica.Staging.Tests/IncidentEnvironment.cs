using System.Text.Json.Nodes;
using Replica.Environments.Hosting;
using Replica.Tests.Support;

namespace Replica.Staging.Tests;

/// <summary>
/// The reference topology set up the way an incident needs it: some dependencies left out of the start (they "start
/// late", when the test says), the backend's settings overridden, and — when the backend is expected to be unhealthy
/// for a while — gated on liveness instead of /health, so the test watches /health itself. Either way the environment
/// is up only once the backend listens: a wait that follows measures the incident, not the process start.
/// </summary>
public static class IncidentEnvironment
{
    public static Task<RunningEnvironment> StartAsync(IsolatedStateStore state, string name, string[] late, bool backendHealthGate,
        params (string Key, string Value)[] backendSettings)
    {
        var builder = StagingTopology.Builder(name, state.Root);
        if (!backendHealthGate)
        {
            builder = builder.WithTopology(StagingTopology.BackendGatedOnLiveness());
        }
        foreach (var service in late)
        {
            builder = builder.WithDeferredStart(service);
        }
        foreach (var (key, value) in backendSettings)
        {
            builder = builder.WithSetting("backend", key, value);
        }
        return builder.Build().StartAsync();
    }

    /// <summary>
    /// Waits for a line of the service's log containing <paramref name="text"/> and returns it; a failure shows the
    /// log as it was when the wait gave up (time out, or the service exited first).
    /// </summary>
    public static Task<string> WaitForLogAsync(RunningService service, string text, TimeSpan? timeout = null) =>
        ServiceLog.WaitForTextAsync(service, text, timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>GET /health (or another path) of the backend: the status and the body, or 0 while it does not listen yet.</summary>
    public static async Task<(int Status, JsonNode? Body)> GetAsync(RunningEnvironment environment, string path = "/health")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync($"http://{environment["backend"].Endpoint}{path}");
            return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }
        catch (HttpRequestException)
        {
            return (0, null);
        }
    }

    /// <summary>Polls /health until it answers something other than "Startup in progress" (or the backend is not up yet).</summary>
    public static async Task<(int Status, JsonNode? Body)> WaitForStartupOutcomeAsync(RunningEnvironment environment, TimeSpan timeout)
    {
        (int Status, JsonNode? Body) last = (0, null);
        await Eventually.WaitAsync(async () =>
        {
            last = await GetAsync(environment);
            return last.Status != 0 && last.Body?["message"]?.GetValue<string>() != "Startup in progress";
        }, timeout, "the backend's startup to end");
        return last;
    }

    public static async Task<IReadOnlyList<JsonObject>> ReceiveAgentEventsAsync(ProtocolSocket socket)
    {
        var events = new List<JsonObject>();
        for (var i = 0; i < 5; i++)
        {
            events.Add(await socket.ReceiveAsync());
        }
        return events;
    }
}
