using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Replica.Chaos.Scenarios;
using Replica.Environments.Errors;

namespace Replica.Chaos.Probes;

/// <summary>
/// Fetches a bearer token as the scenario's auth block says, once, and reuses it for ten minutes: getting a token is
/// set-up, not the thing under test, so it is done before faults are applied and not in every run.
/// </summary>
public sealed class TokenSource(TokenRequest request, HttpClient http, Func<ProbeTarget, Uri> resolve)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private string? _token;
    private DateTime _fetchedAt;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_token is not null && DateTime.UtcNow - _fetchedAt < TimeSpan.FromMinutes(10))
            {
                return _token;
            }
            var url = new Uri(resolve(request.Target), request.Path);
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), url);
            foreach (var (key, value) in request.Headers)
            {
                message.Headers.TryAddWithoutValidation(key, value);
            }
            if (request.Body is not null)
            {
                message.Content = new StringContent(request.Body.ToJsonString(), Encoding.UTF8, "application/json");
            }
            using var response = await http.SendAsync(message, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ReplicaException($"auth: {request.Method} {url.AbsolutePath} answered {(int)response.StatusCode}: {Shorten(text)}",
                    hint: "check the scenario's auth block (path, headers, body)");
            }
            using var json = JsonDocument.Parse(text);
            if (!json.RootElement.TryGetProperty(request.TokenField, out var token) || token.ValueKind != JsonValueKind.String)
            {
                throw new ReplicaException($"auth: the answer of {request.Method} {url.AbsolutePath} has no string field '{request.TokenField}': {Shorten(text)}");
            }
            _token = token.GetString();
            _fetchedAt = DateTime.UtcNow;
            return _token!;
        }
        finally
        {
            _lock.Release();
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
