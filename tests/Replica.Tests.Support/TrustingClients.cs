using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;

namespace Replica.Tests.Support;

/// <summary>
/// Clients that trust one certificate authority only (the way `replica ca` tells .NET users to), optionally sending
/// every connection to 127.0.0.1 whatever the URL's host, so that certificates for other names can be checked.
/// </summary>
public static class TrustingClients
{
    public static SocketsHttpHandler Handler(string authorityCertificate, bool toLoopback = false)
    {
        var handler = new SocketsHttpHandler { UseProxy = false };
        // A custom chain policy checks revocation online by default; a local authority publishes no revocation list.
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        handler.SslOptions.CertificateChainPolicy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(File.ReadAllText(authorityCertificate)));
        if (toLoopback)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }
        return handler;
    }

    public static HttpClient Http(string authorityCertificate, bool toLoopback = false) =>
        new(Handler(authorityCertificate, toLoopback)) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Opens a wss:// WebSocket through a handler trusting <paramref name="authorityCertificate"/>: over HTTP/1.1
    /// (Upgrade) or, with <paramref name="http2"/>, over an HTTP/2 stream (RFC 8441 extended CONNECT).
    /// </summary>
    public static async Task<WebSocketTestClient> WebSocketAsync(Uri url, string authorityCertificate, bool http2, CancellationToken cancellationToken, Action<ClientWebSocketOptions>? configure = null)
    {
        var invoker = new HttpMessageInvoker(Handler(authorityCertificate));
        return await WebSocketTestClient.ConnectAsync(url, invoker, o =>
        {
            o.HttpVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11;
            o.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            configure?.Invoke(o);
        }, cancellationToken);
    }
}
