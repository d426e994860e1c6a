using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Replica.Tests.Support;

/// <summary>Client-side socket helpers for tests: connect, read exactly, read until EOF, all with timeouts.</summary>
public static class Sockets
{
    public static async Task<Socket> ConnectAsync(IPEndPoint endPoint, TimeSpan? timeout = null)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(endPoint, cts.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static Task<Socket> ConnectAsync(string address) => ConnectAsync(IPEndPoint.Parse(address));

    /// <summary>The SocketError a connect ends with (Success when it connects; the socket is closed either way).</summary>
    public static async Task<SocketError> TryConnectAsync(IPEndPoint endPoint)
    {
        try
        {
            using var socket = await ConnectAsync(endPoint, TimeSpan.FromSeconds(5));
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes; the peer closing first is an <see cref="EndOfStreamException"/>.</summary>
    public static async Task<byte[]> ReadExactlyAsync(this Socket socket, int count, TimeSpan? timeout = null)
    {
        var buffer = new byte[count];
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.ReadExactlyAsync(buffer, cts.Token);
        return buffer;
    }

    /// <summary>Everything until the peer closes; a reset counts as the end too (see <see cref="ReadOutcome"/>).</summary>
    public static async Task<ReadOutcome> ReadToEndAsync(this Socket socket, TimeSpan? timeout = null)
    {
        using var data = new MemoryStream();
        var buffer = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
            {
                data.Write(buffer, 0, n);
            }
            return new ReadOutcome(data.ToArray(), SocketError.Success);
        }
        catch (SocketException e)
        {
            return new ReadOutcome(data.ToArray(), e.SocketErrorCode);
        }
    }

    /// <summary>Sends and times until the peer has read it back through <paramref name="receiver"/>.</summary>
    public static async Task<TimeSpan> TimeTransferAsync(Socket sender, Socket receiver, byte[] data)
    {
        var start = Stopwatch.GetTimestamp();
        await sender.SendAsync(data, SocketFlags.None);
        await receiver.ReadExactlyAsync(data.Length);
        return Stopwatch.GetElapsedTime(start);
    }
}
