using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Replica.Bench.Toxiproxy;

/// <summary>64-byte request/echo round trips on one connection, timed one by one.</summary>
public static class EchoRoundTrips
{
    private const int MessageSize = 64;

    /// <summary>
    /// <paramref name="count"/> round trips to an echo server at <paramref name="target"/>; fails at once, naming the
    /// round trip, when the connection closes before an echo is complete.
    /// </summary>
    public static async Task<List<TimeSpan>> MeasureAsync(IPEndPoint target, int count, CancellationToken cancellationToken)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(target, cancellationToken);
        var request = new byte[MessageSize];
        var response = new byte[MessageSize];
        var samples = new List<TimeSpan>(count);
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await client.SendAsync(request, SocketFlags.None, cancellationToken);
            var read = 0;
            while (read < response.Length)
            {
                var n = await client.ReceiveAsync(response.AsMemory(read), SocketFlags.None, cancellationToken);
                if (n == 0)
                {
                    throw new IOException($"{target} closed the connection after {read} of {MessageSize} echoed bytes in round trip {i + 1} of {count}");
                }
                read += n;
            }
            samples.Add(Stopwatch.GetElapsedTime(start));
        }
        return samples;
    }
}
