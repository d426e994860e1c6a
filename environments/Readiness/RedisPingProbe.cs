using System.Net.Sockets;
using System.Text;
using Replica.Environments.Runtimes;

namespace Replica.Environments.Readiness;

/// <summary>Sends PING in RESP and expects +PONG, as `redis-cli ping` does.</summary>
public sealed class RedisPingProbe(HostEndpoint endpoint) : IHealthProbe
{
    private static readonly byte[] Ping = "*1\r\n$4\r\nPING\r\n"u8.ToArray();

    public string Description => $"Redis PING {endpoint}";

    public async Task<ProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Ping, timeout.Token);
            var buffer = new byte[256];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            var reply = Encoding.ASCII.GetString(buffer, 0, read).TrimEnd();
            return reply == "+PONG" ? ProbeResult.Ok("PONG") : ProbeResult.Fail($"PING answered '{reply}'");
        }
        catch (SocketException ex)
        {
            return ProbeResult.Fail($"Redis PING {endpoint}: {ex.SocketErrorCode}");
        }
        catch (IOException ex)
        {
            return ProbeResult.Fail($"Redis PING {endpoint}: {ex.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail($"Redis PING {endpoint}: no answer within 3 s");
        }
    }
}
