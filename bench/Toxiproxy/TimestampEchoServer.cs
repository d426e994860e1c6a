using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Replica.Bench.Toxiproxy;

/// <summary>
/// An echo server on one dedicated thread with blocking reads (one wake-up per message, no thread-pool hop) that
/// notes, for each 64-byte message, how long after the Stopwatch timestamp written in its first 8 bytes it arrived:
/// the one-way time through whatever sits between the client and it. Same process, same clock.
/// </summary>
internal sealed class TimestampEchoServer : IDisposable
{
    public const int MessageSize = 64;
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Thread _thread;
    private readonly List<double> _oneWayMs = [];

    public TimestampEchoServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        _thread = new Thread(Serve) { IsBackground = true, Name = "timestamp-echo" };
        _thread.Start();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>One-way times in milliseconds, in arrival order (read once the client is done).</summary>
    public List<double> OneWayMilliseconds
    {
        get
        {
            lock (_oneWayMs)
            {
                return [.. _oneWayMs];
            }
        }
    }

    public static void Stamp(Span<byte> message) => BinaryPrimitives.WriteInt64LittleEndian(message, Stopwatch.GetTimestamp());

    private void Serve()
    {
        try
        {
            using var connection = _listener.Accept();
            connection.NoDelay = true;
            var buffer = new byte[MessageSize];
            while (true)
            {
                var read = 0;
                while (read < MessageSize)
                {
                    var n = connection.Receive(buffer, read, MessageSize - read, SocketFlags.None);
                    if (n == 0)
                    {
                        return;
                    }
                    read += n;
                }
                var arrived = Stopwatch.GetTimestamp();
                var sent = BinaryPrimitives.ReadInt64LittleEndian(buffer);
                lock (_oneWayMs)
                {
                    _oneWayMs.Add((arrived - sent) * 1000.0 / Stopwatch.Frequency);
                }
                connection.Send(buffer);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The listener closed, or the client went away.
        }
    }

    public void Dispose() => _listener.Dispose();
}
