using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Replica.Cli.Environments;
using Replica.Environments.Errors;
using Replica.Environments.State;

namespace Replica.Cli.Control;

/// <summary>
/// How a CLI command reaches the environment that is up: the control server its owner (the detached daemon or a
/// foreground `up`) hosts, found through the state ("dashboard" endpoint) and its token file. An error the server
/// answers comes back as a <see cref="ReplicaException"/> of the kind it names, so the exit code is the same as if the
/// command had run in the owner's process.
/// </summary>
internal sealed class ControlClient : IDisposable
{
    private readonly HttpClient _http;

    private ControlClient(Uri url, string token, EnvironmentState state)
    {
        State = state;
        _http = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public EnvironmentState State { get; }

    public Uri Url => _http.BaseAddress!;

    /// <summary>The control server of the environment --name/-f name; fails (exit 1) when none is up.</summary>
    public static ControlClient Connect(EnvironmentOptions options)
    {
        var name = options.ResolveName();
        var state = options.Store.Read(name);
        if (state is null || !StateStore.IsOwnerAlive(state))
        {
            throw new ReplicaException($"environment '{name}' is not up", ReplicaErrorKind.Failure, "start it with `replica up --detach`");
        }
        if (!state.Endpoints.TryGetValue(ControlServer.Endpoint, out var url))
        {
            throw new ReplicaException($"environment '{name}' has no control server (it was started by an older replica)", ReplicaErrorKind.MissingPrerequisite,
                "bring it down and up again: `replica down && replica up --detach`");
        }
        var tokenFile = ControlServer.TokenFile(options.Store, name);
        var token = File.Exists(tokenFile) ? File.ReadAllText(tokenFile).Trim() : "";
        return new ControlClient(new Uri(url.EndsWith('/') ? url : url + "/"), token, state);
    }

    /// <summary>A POST without a body (a lifecycle verb).</summary>
    public Task<JsonElement> PostAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, null, cancellationToken);

    /// <summary>A POST of <paramref name="body"/>, written as <paramref name="bodyType"/> says (a <see cref="ControlJsonContext"/> type).</summary>
    public Task<JsonElement> PostAsync<T>(string path, T body, JsonTypeInfo<T> bodyType, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, JsonBody(body, bodyType), cancellationToken);

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>The body of a request: <paramref name="body"/> as JSON, in UTF-8.</summary>
    internal static HttpContent JsonBody<T>(T body, JsonTypeInfo<T> type) =>
        new StringContent(JsonSerializer.Serialize(body, type), Encoding.UTF8, "application/json");

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ReplicaException($"the environment's control server at {Url} did not answer: {ex.Message}", ReplicaErrorKind.Failure,
                "`replica status` shows whether the environment is still up");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonElement json;
            try
            {
                json = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new ReplicaException($"the control server answered HTTP {(int)response.StatusCode}: {text}", ReplicaErrorKind.Failure);
            }
            if (response.IsSuccessStatusCode)
            {
                return json;
            }
            var message = json.TryGetProperty("error", out var e) ? e.GetString() ?? "" : text;
            var hint = json.TryGetProperty("hint", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
            var kind = json.TryGetProperty("kind", out var k) && Enum.TryParse<ReplicaErrorKind>(k.GetString(), out var parsed) ? parsed : ReplicaErrorKind.Failure;
            throw new ReplicaException(message, kind, hint);
        }
    }

    public void Dispose() => _http.Dispose();
}
