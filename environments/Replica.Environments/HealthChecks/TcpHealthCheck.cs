using System.Net.Sockets;
using Replica.Environments.Runtimes;

namespace Replica.Environments.HealthChecks;

public sealed class TcpHealthCheck(HostEndpoint endpoint) : IHealthCheck
{
    public string Description => $"TCP connect {endpoint}";

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
            return HealthCheckResult.Ok("accepting connections");
        }
        catch (SocketException ex)
        {
            return HealthCheckResult.Fail($"TCP connect {endpoint}: {ex.SocketErrorCode}");
        }
    }
}
