using System.Net.Sockets;
using Replica.Environments.Runtimes;

namespace Replica.Environments.Readiness;

public sealed class TcpHealthProbe(HostEndpoint endpoint) : IHealthProbe
{
    public string Description => $"TCP connect {endpoint}";

    public async Task<ProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
            return ProbeResult.Ok("accepting connections");
        }
        catch (SocketException ex)
        {
            return ProbeResult.Fail($"TCP connect {endpoint}: {ex.SocketErrorCode}");
        }
    }
}
