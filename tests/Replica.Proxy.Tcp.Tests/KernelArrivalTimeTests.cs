using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Replica.Proxy.Tcp.Network;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// The time a link gives a chunk is when its bytes reached the proxy's socket, by the kernel's stamp, so a latency
/// toxic's delay includes the wake-up before the link reads them instead of adding it. Real loopback sockets; the
/// bytes are left in the socket on purpose before the read.
/// </summary>
public sealed class KernelArrivalTimeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Bytes_read_late_are_stamped_with_when_they_arrived_not_when_they_were_read()
    {
        var (sender, receiver) = await PairAsync();
        using var _ = sender;
        using var __ = receiver;
        Assert.True(KernelArrivalTime.TryEnable(receiver));
        await StampingOnAsync(sender, receiver);

        var sent = Stopwatch.GetTimestamp();
        sender.Send(new byte[64]);
        await Eventually.WaitAsync(() => receiver.Available == 64, Timeout, "the 64 bytes waiting in the receiving socket");
        var seen = Stopwatch.GetTimestamp();
        await Task.Delay(100); // the read comes late: what a busy thread pool does to a link
        var buffer = new byte[1024];
        var count = KernelArrivalTime.Receive(receiver, buffer, out var arrival);

        Assert.Equal(64, count);
        Assert.NotNull(arrival);
        // Stamped between the send and the moment the bytes were seen waiting: never before the send (a delay counted
        // from it would end early), and not at the read, about 100 ms past `seen`.
        Assert.InRange(arrival.Value, sent, seen);
    }

    [Fact]
    public async Task Nothing_waiting_is_minus_one_the_peers_close_is_zero_and_its_reset_is_a_socket_error()
    {
        var buffer = new byte[1024];
        var (sender, receiver) = await PairAsync();
        using (sender)
        using (receiver)
        {
            Assert.True(KernelArrivalTime.TryEnable(receiver));
            Assert.Equal(-1, KernelArrivalTime.Receive(receiver, buffer, out _));

            sender.Shutdown(SocketShutdown.Send);
            Assert.True(receiver.Poll(Timeout, SelectMode.SelectRead));
            Assert.Equal(0, KernelArrivalTime.Receive(receiver, buffer, out _));
        }

        (sender, receiver) = await PairAsync();
        using (sender)
        using (receiver)
        {
            Assert.True(KernelArrivalTime.TryEnable(receiver));
            sender.LingerState = new LingerOption(true, 0);
            sender.Close(); // RST
            Assert.True(receiver.Poll(Timeout, SelectMode.SelectRead));
            Assert.Throws<SocketException>(() => KernelArrivalTime.Receive(receiver, buffer, out _));
        }
    }

    [Fact]
    public async Task A_closed_socket_is_refused_as_disposed_never_read_through_a_reused_descriptor()
    {
        var (sender, receiver) = await PairAsync();
        using var peer = sender;
        KernelArrivalTime.TryEnable(receiver);
        receiver.Dispose();

        Assert.False(KernelArrivalTime.TryEnable(receiver));
        Assert.Throws<ObjectDisposedException>(() => KernelArrivalTime.Receive(receiver, new byte[16], out _));
    }

    /// <summary>
    /// The kernel turns stamping on a moment after the first socket asks: bytes sent before then come unstamped.
    /// One byte at a time until one comes with its stamp.
    /// </summary>
    private static Task StampingOnAsync(Socket sender, Socket receiver) =>
        Eventually.WaitAsync(() =>
        {
            sender.Send(new byte[1]);
            Assert.True(receiver.Poll(Timeout, SelectMode.SelectRead));
            Assert.Equal(1, KernelArrivalTime.Receive(receiver, new byte[16], out var arrival));
            return arrival is not null;
        }, Timeout, "a byte stamped by the kernel", TimeSpan.FromMilliseconds(1));

    private static async Task<(Socket Sender, Socket Receiver)> PairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await sender.ConnectAsync(listener.LocalEndPoint!);
        var receiver = await listener.AcceptAsync();
        return (sender, receiver);
    }
}
