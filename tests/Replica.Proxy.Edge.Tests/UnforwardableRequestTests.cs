using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

/// <summary>
/// Requests the edge accepts but can never forward are client errors, never a 502: a non-ASCII header value is a 400
/// naming the header, CONNECT is a 405. Sent as raw bytes, since HttpClient refuses to send either.
/// </summary>
public sealed class UnforwardableRequestTests
{
    [Theory]
    [InlineData("X-A", "é", "U+00E9 at position 0")]
    [InlineData("Authorization", "Bearer ÿ", "U+00FF at position 7")]
    [InlineData("X-Name", "plain then 日本", "U+65E5 at position 11")]
    public async Task A_header_value_that_cannot_be_forwarded_is_a_400_naming_the_header(string name, string value, string where)
    {
        await using var h = await ProxyHarness.StartAsync();

        var (status, body) = await SendRawAsync(h, $"GET /api/x HTTP/1.1\r\nHost: edge\r\n{name}: {value}\r\nConnection: close\r\n\r\n");

        Assert.Equal(400, status);
        var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
        Assert.StartsWith($"header '{name}' cannot be forwarded", detail);
        Assert.Contains(where, detail);
        Assert.Equal(0, h.Backend.HttpRequests);
    }

    [Fact]
    public async Task Connect_is_a_405()
    {
        await using var h = await ProxyHarness.StartAsync();

        var (status, body) = await SendRawAsync(h, "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n");

        Assert.Equal(405, status);
        Assert.Contains("CONNECT is not supported", body);
    }

    [Fact]
    public async Task Ascii_headers_are_forwarded_as_before()
    {
        await using var h = await ProxyHarness.StartAsync();

        var (status, _) = await SendRawAsync(h, "GET /api/x HTTP/1.1\r\nHost: edge\r\nX-A: plain ascii ~!\r\nConnection: close\r\n\r\n");

        Assert.Equal(200, status);
    }

    private static async Task<(int Status, string Body)> SendRawAsync(ProxyHarness h, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(h.Proxy.Url.Host, h.Proxy.Url.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        try
        {
            while ((read = await stream.ReadAsync(buffer, cts.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                var text = Encoding.UTF8.GetString(received.ToArray());
                if (text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and > 0
                    && System.Text.RegularExpressions.Regex.Match(text, @"Content-Length: (\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase) is { Success: true } length
                    && received.Length >= end + 4 + int.Parse(length.Groups[1].Value))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        var response = Encoding.UTF8.GetString(received.ToArray());
        var headerEnd = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (int.Parse(response.Split(' ')[1]), headerEnd < 0 ? "" : response[(headerEnd + 4)..]);
    }
}
