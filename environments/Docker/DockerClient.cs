using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Replica.Environments.Errors;

namespace Replica.Environments.Docker;

/// <summary>
/// A small Docker Engine API client: HTTP/1.1 over the engine's unix socket (or plain tcp), every path versioned
/// with the API version negotiated through <c>/_ping</c>. The verbs live in the partial files beside this one.
/// </summary>
public sealed partial class DockerClient : IAsyncDisposable, IDisposable
{
    /// <summary>The newest API this client was written against (Engine 27.2+); used when the engine offers it.</summary>
    public static readonly Version MaxApiVersion = new(1, 47);

    /// <summary>The oldest API this client supports: Debian bookworm's dockerd 20.10.</summary>
    public static readonly Version MinApiVersion = new(1, 41);

    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;

    private DockerClient(HttpClient http, DockerEndpoint endpoint, Version engineApiVersion, Version apiVersion)
    {
        _http = http;
        Endpoint = endpoint;
        EngineApiVersion = engineApiVersion;
        ApiVersion = apiVersion;
    }

    public DockerEndpoint Endpoint { get; }

    /// <summary>The newest API version the engine speaks (its <c>Api-Version</c> header).</summary>
    public Version EngineApiVersion { get; }

    /// <summary>The version in every request path: the smaller of ours and the engine's, or DOCKER_API_VERSION.</summary>
    public Version ApiVersion { get; }

    /// <summary>
    /// Connects to <paramref name="endpoint"/> (default: DOCKER_HOST, else the local socket), pings it and
    /// negotiates the API version. No engine answering is a <see cref="ReplicaException"/> with exit code 3 that
    /// names the endpoint.
    /// </summary>
    public static async Task<DockerClient> ConnectAsync(DockerEndpoint? endpoint = null, CancellationToken cancellationToken = default)
    {
        endpoint ??= DockerEndpoint.FromEnvironment();
        var pinned = ReadPinnedVersion();
        var http = CreateHttpClient(endpoint);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PingTimeout);
            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync("_ping", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsTransportFailure(e))
            {
                throw NoEngine(endpoint, e);
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new ReplicaException(
                        $"No Docker engine at {endpoint}: /_ping answered {(int)response.StatusCode} {response.ReasonPhrase}",
                        exitCode: 3,
                        hint: Hint);
                }

                var engineVersion = response.Headers.TryGetValues("Api-Version", out var values)
                    && Version.TryParse(values.FirstOrDefault(), out var parsed)
                        ? parsed
                        : throw new ReplicaException(
                            $"Docker engine at {endpoint}: /_ping did not say which API version it speaks (no Api-Version header)",
                            exitCode: 3);
                if (pinned is not null && pinned > engineVersion)
                {
                    throw new ReplicaException(
                        $"DOCKER_API_VERSION={pinned} is newer than API {engineVersion}, the newest the engine at {endpoint} speaks",
                        exitCode: 2,
                        hint: "unset DOCKER_API_VERSION to negotiate, or set it to the engine's version");
                }

                var chosen = pinned ?? (engineVersion < MaxApiVersion ? engineVersion : MaxApiVersion);
                if (chosen < MinApiVersion)
                {
                    throw new ReplicaException(
                        $"Docker engine at {endpoint} speaks API {engineVersion}; Replica needs {MinApiVersion} or newer",
                        exitCode: 3,
                        hint: "install Docker 20.10 or newer");
                }

                return new DockerClient(http, endpoint, engineVersion, chosen);
            }
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private const string Hint =
        "start an engine (environments/images/docker-tier.sh start), or point DOCKER_HOST at one";

    private static HttpClient CreateHttpClient(DockerEndpoint endpoint)
    {
        var handler = new SocketsHttpHandler
        {
            // Streams (logs, build, wait) hold their connection for as long as they run; pooled ones are reused.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectCallback = async (_, token) =>
            {
                var socketEndPoint = endpoint.ToSocketEndPoint();
                var socket = socketEndPoint is UnixDomainSocketEndPoint
                    ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                    : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(socketEndPoint, token).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler)
        {
            BaseAddress = endpoint.BaseAddress,
            // Builds and waits run for minutes; callers bound them with cancellation tokens.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    private static Version? ReadPinnedVersion()
    {
        var text = Environment.GetEnvironmentVariable("DOCKER_API_VERSION");
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Version.TryParse(text.Trim(), out var version) || version.Build >= 0)
        {
            throw new ReplicaException(
                $"DOCKER_API_VERSION: '{text}' is not an API version; expected major.minor such as 1.44",
                exitCode: 2);
        }

        return version >= MinApiVersion
            ? version
            : throw new ReplicaException(
                $"DOCKER_API_VERSION={version} is older than {MinApiVersion}, the oldest API Replica speaks",
                exitCode: 2,
                hint: "unset DOCKER_API_VERSION to negotiate");
    }

    private static bool IsTransportFailure(Exception e) =>
        e is HttpRequestException or SocketException or IOException or OperationCanceledException;

    private static ReplicaException NoEngine(DockerEndpoint endpoint, Exception e)
    {
        var socketError = (e as SocketException ?? e.InnerException as SocketException)?.SocketErrorCode;
        var reason = e switch
        {
            OperationCanceledException => $"no answer within {PingTimeout.TotalSeconds:0} s",
            _ when endpoint.SocketPath is { } path && !File.Exists(path) => $"the socket {path} does not exist (is dockerd running?)",
            _ when socketError == SocketError.ConnectionRefused => "connection refused (nothing listens there)",
            _ => (e.InnerException ?? e).Message,
        };
        return new ReplicaException($"No Docker engine at {endpoint}: {reason}", exitCode: 3, hint: Hint, inner: e);
    }

    private string Versioned(string pathAndQuery) =>
        $"v{ApiVersion.Major}.{ApiVersion.Minor}/{pathAndQuery.TrimStart('/')}";

    /// <summary>
    /// Sends one request; any status outside 2xx and <paramref name="benign"/> becomes a
    /// <see cref="DockerApiException"/> carrying the engine's message. The caller disposes the response.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string pathAndQuery,
        HttpContent? content,
        string operation,
        CancellationToken cancellationToken,
        params HttpStatusCode[] benign)
    {
        using var request = new HttpRequestMessage(method, Versioned(pathAndQuery)) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsTransportFailure(e))
        {
            throw new ReplicaException(
                $"No Docker engine at {Endpoint}: {operation} failed: {(e.InnerException ?? e).Message}",
                exitCode: 3,
                hint: Hint,
                inner: e);
        }

        if (response.IsSuccessStatusCode || benign.Contains(response.StatusCode))
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new DockerApiException(operation, response.StatusCode, EngineMessage(body), Endpoint);
        }
    }

    private async Task<JsonElement> GetJsonAsync(string pathAndQuery, string operation, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, pathAndQuery, null, operation, cancellationToken)
            .ConfigureAwait(false);
        return await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonElement> PostJsonAsync(
        string pathAndQuery,
        JsonNode? body,
        string operation,
        CancellationToken cancellationToken)
    {
        using var content = body is null ? null : JsonContent(body);
        using var response = await SendAsync(HttpMethod.Post, pathAndQuery, content, operation, cancellationToken)
            .ConfigureAwait(false);
        return await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For verbs whose answer has no body worth reading (start, stop, pause...).</summary>
    private async Task<HttpStatusCode> SendNoBodyAsync(
        HttpMethod method,
        string pathAndQuery,
        string operation,
        CancellationToken cancellationToken,
        params HttpStatusCode[] benign)
    {
        using var response = await SendAsync(method, pathAndQuery, null, operation, cancellationToken, benign)
            .ConfigureAwait(false);
        return response.StatusCode;
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        return document.RootElement.Clone();
    }

    private static StringContent JsonContent(JsonNode body)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        // The engine rejects a body whose type is not exactly application/json (no charset parameter needed).
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string EngineMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message))
            {
                return message.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
        }

        return body.Trim();
    }

    /// <summary>The engine's <c>filters</c> query value: <c>{"label":["k=v","k2"]}</c>, URL-encoded.</summary>
    private static string LabelFilter(IReadOnlyDictionary<string, string?> labels)
    {
        var values = new JsonArray();
        foreach (var (key, value) in labels)
        {
            values.Add(value is null ? key : $"{key}={value}");
        }

        return Uri.EscapeDataString(new JsonObject { ["label"] = values }.ToJsonString());
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string Seconds(TimeSpan value) =>
        ((long)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static IReadOnlyDictionary<string, string> ReadLabels(JsonElement element)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                labels[property.Name] = property.Value.GetString() ?? "";
            }
        }

        return labels;
    }
}
