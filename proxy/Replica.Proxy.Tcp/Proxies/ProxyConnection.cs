using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Replica.Proxy.Tcp.Links;
using Replica.Proxy.Tcp.Network.Timing;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Proxy.Tcp.Proxies;

/// <summary>
/// One accepted client: held while a startup_delay says so, then connected upstream and run as two links
/// (upstream, downstream). Either side ending tears both down once its data is flushed; there is no half-close.
/// </summary>
internal sealed class ProxyConnection
{
    private readonly object sync = new();
    private readonly CancellationTokenSource closing = new();
    private readonly List<ScheduledWait> resetWaits = [];
    private readonly ScheduledWait connectWait = new();
    private readonly Socket client;
    private readonly Random random;
    private Socket? upstream;
    private Link? upstreamLink;
    private Link? downstreamLink;
    private bool closed;

    public ProxyConnection(TcpProxy proxy, Socket client, long id, int seed)
    {
        Proxy = proxy;
        this.client = client;
        Id = id;
        random = new Random(seed);
    }

    public TcpProxy Proxy { get; }

    public long Id { get; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Runs the connection on the thread pool, so nothing of it runs under the caller's lock.</summary>
    public void Start() => Completion = Task.Run(RunAsync);

    /// <summary>Closes both sockets (FIN, or RST where unread data remains); the links then end.</summary>
    public void Close() => Shutdown(abortive: false);

    /// <summary>Closes both sockets with SO_LINGER 0, so both peers get a TCP reset ("connection reset by peer").</summary>
    public void Reset() => Shutdown(abortive: true);

    /// <summary>
    /// Resets the connection after the given time unless it ends first. Each caller (one reset_peer per direction, say)
    /// waits on its own: the first to fire resets, and the reset or a close ends every other wait.
    /// </summary>
    public async Task ResetAfterAsync(long milliseconds)
    {
        var wait = new ScheduledWait();
        lock (sync)
        {
            if (closed)
            {
                return;
            }
            resetWaits.Add(wait);
        }
        var due = StopwatchTicks.Add(Stopwatch.GetTimestamp(), StopwatchTicks.FromMilliseconds(milliseconds));
        if (await wait.UntilAsync(due))
        {
            Proxy.Logger.LogDebug("proxy {Proxy}: connection {Connection} reset by reset_peer", Proxy.Name, Id);
            Reset();
        }
    }

    public void OnToxicsChanged()
    {
        upstreamLink?.OnToxicsChanged();
        downstreamLink?.OnToxicsChanged();
    }

    private async Task RunAsync()
    {
        try
        {
            if (!await Proxy.HoldAsync(random, closing.Token))
            {
                return;
            }
            if (Proxy.Network.RoundTrip > TimeSpan.Zero)
            {
                // The client's connect completed at once on loopback; over the shaped path its first bytes could only
                // leave a round trip later (SYN, SYN-ACK). Connecting upstream that much later holds them as long.
                var due = Stopwatch.GetTimestamp() + (long)(Proxy.Network.RoundTrip.TotalSeconds * Stopwatch.Frequency);
                if (!await connectWait.UntilAsync(due))
                {
                    return;
                }
            }
            var state = Proxy.State;
            Socket socket;
            try
            {
                socket = await UpstreamDialer.ConnectAsync(state.Upstream, closing.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // Like Toxiproxy: the client saw its connect succeed and now reads EOF.
                Proxy.Logger.LogDebug("proxy {Proxy}: connection {Connection}: upstream {Upstream} unreachable: {Error}", Proxy.Name, Id, state.Upstream, e.Message);
                return;
            }
            Link up, down;
            lock (sync)
            {
                if (closed)
                {
                    socket.Dispose();
                    return;
                }
                upstream = socket;
                up = new Link(this, ToxicDirection.Upstream, client, socket, random.Next(), Proxy.Counter(ToxicDirection.Upstream, state));
                down = new Link(this, ToxicDirection.Downstream, socket, client, random.Next(), Proxy.Counter(ToxicDirection.Downstream, state));
                upstreamLink = up;
                downstreamLink = down;
            }
            await Task.WhenAll(up.RunAsync(), down.RunAsync());
        }
        catch (Exception e)
        {
            Proxy.Logger.LogWarning(e, "proxy {Proxy}: connection {Connection} failed", Proxy.Name, Id);
        }
        finally
        {
            Close();
            Proxy.OnConnectionEnded(this);
        }
    }

    /// <summary>
    /// Ends the connection once: stops a hold or a dial, ends pending resets, closes both sockets and releases whatever
    /// the toxics of both links hold (a latency wait, a bandwidth of 0, a slow close), so the links end now.
    /// </summary>
    private void Shutdown(bool abortive)
    {
        Socket? upstreamSocket;
        Link? up, down;
        ScheduledWait[] waits;
        lock (sync)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            (upstreamSocket, up, down) = (upstream, upstreamLink, downstreamLink);
            waits = [.. resetWaits];
        }
        closing.Cancel();
        connectWait.Interrupt();
        foreach (var wait in waits)
        {
            wait.Interrupt();
        }
        CloseSocket(client, abortive);
        if (upstreamSocket is not null)
        {
            CloseSocket(upstreamSocket, abortive);
        }
        up?.Abandon();
        down?.Abandon();
    }

    private static void CloseSocket(Socket socket, bool abortive)
    {
        if (abortive)
        {
            Abort(socket);
        }
        else
        {
            GracefulClose.Close(socket);
        }
    }

    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed: nothing left to reset.
        }
        socket.Dispose();
    }
}
