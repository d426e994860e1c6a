using System.Text.Json.Nodes;
using Npgsql;
using Replica.Environments.Hosting;
using Replica.Environments.Runtimes;
using Replica.Tests.Support;

namespace Replica.Staging.Tests;

/// <summary>
/// The reference topology, all four services on real Redis and PostgreSQL, shared by the protocol tests (they do not
/// disturb each other). Agent events are unpaced and the R2 grace is off: these tests are about the protocol, not time.
/// </summary>
public sealed class StagingBackendFixture : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();

    public RunningEnvironment Environment { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public HostEndpoint Backend => Environment["backend"].Endpoint!;

    public string BackendUrl => $"http://{Backend}";

    public async Task InitializeAsync()
    {
        Environment = await StagingTopology.Builder("staging-protocol", _state.Root)
            .WithSetting("backend", "AGENT_EVENT_DELAY", "0ms")
            .WithSetting("backend", "REDIS_READY_GRACE", "0ms")
            .Build().StartAsync();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (Environment is not null)
        {
            await Environment.DisposeAsync();
        }
        await _state.DisposeAsync();
    }

    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var pg = Environment["postgres"].Endpoint!;
        var connection = new NpgsqlConnection($"Host={pg.Host};Port={pg.Port};Username=netra;Password=netra;Database=netra;Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    public async Task<(int Status, JsonNode Body)> GetJsonAsync(string path, string? token = null) =>
        await SendJsonAsync(HttpMethod.Get, path, null, token);

    public Task<(int Status, JsonNode Body)> SendJsonAsync(HttpMethod method, string path, string? body, string? token = null) =>
        SendBytesAsync(method, path, body is null ? null : System.Text.Encoding.UTF8.GetBytes(body), token);

    /// <summary>Sends <paramref name="body"/> as it is (it may be anything but UTF-8 JSON) as application/json; the answer must be JSON.</summary>
    public async Task<(int Status, JsonNode Body)> SendBytesAsync(HttpMethod method, string path, byte[]? body, string? token = null)
    {
        using var request = new HttpRequestMessage(method, BackendUrl + path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
        }
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await Http.SendAsync(request);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text) ?? throw new InvalidOperationException($"{method} {path}: empty body"));
    }
}
