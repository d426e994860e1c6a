using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Replica.Bench.EdgeProxy;

/// <summary>New connections one after another: TCP connect plus a TLS 1.3 handshake (ALPN http/1.1), timed each.</summary>
internal static class TlsHandshakes
{
    public static async Task<List<double>> MeasureAsync(Uri url, int count, CancellationToken cancellationToken)
    {
        var milliseconds = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(url.Host, url.Port, cancellationToken);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = SslProtocols.Tls13,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                // Both targets serve the same certificate; the client's chain check would only add the same time to both.
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, cancellationToken);
            milliseconds.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return milliseconds;
    }
}
