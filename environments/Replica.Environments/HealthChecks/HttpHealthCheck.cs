using Replica.Environments.Runtimes;

namespace Replica.Environments.HealthChecks;

/// <summary>GET a path; healthy on a status below 400 (what `curl -f` in a compose healthcheck accepts).</summary>
public sealed class HttpHealthCheck : IHealthCheck
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false })
    {
        Timeout = TimeSpan.FromSeconds(3),
    };

    private readonly Uri _url;

    public HttpHealthCheck(HostEndpoint endpoint, string path) => _url = new Uri($"http://{endpoint}{path}");

    public string Description => $"HTTP GET {_url}";

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Client.GetAsync(_url, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var summary = $"HTTP {(int)response.StatusCode} {Shorten(body)}".TrimEnd();
            return (int)response.StatusCode < 400 ? HealthCheckResult.Ok(summary) : HealthCheckResult.Fail(summary);
        }
        catch (HttpRequestException ex)
        {
            return HealthCheckResult.Fail($"GET {_url.AbsolutePath}: {ex.HttpRequestError} ({ex.InnerException?.Message ?? ex.Message})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Fail($"GET {_url.AbsolutePath}: no answer within {Client.Timeout.TotalSeconds:0} s");
        }
    }

    private static string Shorten(string body)
    {
        body = body.ReplaceLineEndings(" ").Trim();
        return body.Length <= 200 ? body : body[..200] + "…";
    }
}
