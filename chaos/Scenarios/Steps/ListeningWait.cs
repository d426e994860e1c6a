using System.Net.Sockets;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;

namespace Replica.Chaos.Scenarios.Steps;

/// <summary>
/// `wait: listening`: done once the service's first declared port accepts a TCP connection — for the reference
/// backend, the moment it starts its own startup sequence (it listens first). Fails if the service exits first or is
/// not listening within its start timeout. On the docker runtime the published port is what is tried.
/// </summary>
internal static class ListeningWait
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>Waits for the service to listen when <paramref name="wait"/> asks for it; otherwise done at once.</summary>
    public static Task WaitIfAsked(RunningService service, ServiceWait wait, CancellationToken cancellationToken) =>
        wait == ServiceWait.Listening ? WaitAsync(service, cancellationToken) : Task.CompletedTask;

    public static async Task WaitAsync(RunningService service, CancellationToken cancellationToken)
    {
        var instance = service.Instance ?? throw new ReplicaException($"service '{service.Name}' was never started");
        var endpoint = service.Endpoint ?? throw new ReplicaException($"service '{service.Name}' declares no ports: it cannot be awaited listening");
        var timeout = service.Definition.Replica.StartTimeout;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (instance.Exited.IsCompleted)
            {
                throw new ReplicaException($"service '{service.Name}' exited with code {instance.Exited.Result} before it listened on {endpoint}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(Interval, cancellationToken);
            }
            catch (SocketException ex)
            {
                throw new ReplicaException($"service '{service.Name}' did not listen on {endpoint} within {timeout.TotalSeconds:0.#} s ({ex.SocketErrorCode})");
            }
        }
    }
}
