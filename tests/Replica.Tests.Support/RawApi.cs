using System.Net;
using System.Text;

namespace Replica.Tests.Support;

/// <summary>Plain HTTP against a Toxiproxy API, returning status and body text as they are, for conformance assertions.</summary>
public sealed class RawApi(Uri baseUrl) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<RawResponse> SendAsync(string method, string path, string? body = null, string contentType = "application/json", string? userAgent = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var type = response.Content.Headers.ContentType?.ToString();
        var requestId = response.Headers.TryGetValues("X-Toxiproxy-Request-Id", out var ids) ? ids.Single() : null;
        return new RawResponse(response.StatusCode, text, type, requestId);
    }

    /// <summary>Sends <paramref name="body"/> byte for byte (invalid UTF-8 included).</summary>
    public async Task<RawResponse> SendBytesAsync(string method, string path, byte[] body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var requestId = response.Headers.TryGetValues("X-Toxiproxy-Request-Id", out var ids) ? ids.Single() : null;
        return new RawResponse(response.StatusCode, text, response.Content.Headers.ContentType?.ToString(), requestId);
    }

    public Task<RawResponse> GetAsync(string path) => SendAsync("GET", path);

    public Task<RawResponse> PostAsync(string path, string? body) => SendAsync("POST", path, body);

    public void Dispose() => http.Dispose();
}
