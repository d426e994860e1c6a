using System.Collections.Immutable;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Replica.Proxy.Tcp.Network;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Proxy.Tcp.Links;

/// <summary>
/// One direction of one proxied connection: reads the source socket into pooled chunks and pushes them through the
/// toxics of its direction to the destination socket. The chain is rebuilt, between two chunks, whenever the proxy's
/// toxics change, so additions, updates and removals reach connections already open.
/// </summary>
internal sealed class Link
{
    // Serialises chunk pushes with chain rebuilds: a rebuild waits for the chunk in flight, which the interrupt speeds up.
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, LinkToxicState> states = new(StringComparer.Ordinal);
    private readonly ProxyConnection connection;
    private readonly Socket source;
    private readonly Socket destination;
    private readonly WriterStage writer;
    private readonly Random random;
    private readonly TrafficCounter? counter;
    private volatile LinkChain chain;
    private volatile bool stopReading;
    private bool finished;
    private volatile bool abandoned;
    // Whether the kernel stamps what the source receives: asked the first time a chain reckons from arrival times.
    private bool? kernelStamps;

    public Link(ProxyConnection connection, ToxicDirection direction, Socket source, Socket destination, int seed, TrafficCounter? counter)
    {
        this.connection = connection;
        Direction = direction;
        this.source = source;
        this.destination = destination;
        random = new Random(seed);
        this.counter = counter;
        writer = new WriterStage(this, destination);
        chain = new LinkChain([], LinkShape.None, [], writer);
    }

    public ToxicDirection Direction { get; }

    private TcpProxy Proxy => connection.Proxy;

    /// <summary>The clock of the toxics' timers (the proxy's).</summary>
    internal TimeProvider Time => Proxy.Time;

    public async Task RunAsync()
    {
        try
        {
            // The chain starts with the link, as Toxiproxy's does: a timeout's clock runs from the connection's start,
            // not from its first chunk, and a toxic added while the connection was dialing upstream is in it already.
            await gate.WaitAsync();
            try
            {
                await EnsureCurrentChainAsync();
            }
            finally
            {
                gate.Release();
            }
            await ReadAllAsync();
            await EndAsync();
        }
        catch (Exception e)
        {
            // Never let one connection's failure escape: log it and drop the connection.
            Proxy.Logger.LogWarning(e, "proxy {Proxy}: {Direction} link of connection {Connection} failed", Proxy.Name, Direction, connection.Id);
            connection.Close();
        }
        finally
        {
            await FinishAsync();
        }
    }

    /// <summary>
    /// The proxy's toxics changed: interrupt what the old chain holds and rebuild without waiting for traffic.
    /// Compared with the proxy's current list, not a passed one, so notifications arriving out of order are harmless.
    /// </summary>
    public void OnToxicsChanged()
    {
        var current = chain;
        if (!current.IsBuiltFrom(Proxy.State.Toxics, Proxy.Network))
        {
            current.Interrupt();
            _ = Task.Run(ApplyChangeAsync);
        }
    }

    /// <summary>
    /// The connection is being closed: release whatever the stages hold (a chunk waiting out a long latency, a
    /// bandwidth debt, a slow close) so the link ends now instead of when the wait would have ended — possibly never.
    /// </summary>
    public void Abandon()
    {
        abandoned = true;
        // Pairs with the barrier in EnsureCurrentChainAsync: a chain built meanwhile is interrupted by one side or the other.
        Interlocked.MemoryBarrier();
        chain.Interrupt();
    }

    /// <summary>A fresh generator for one stage: stages of one link may run on different threads at once.</summary>
    public Random NewRandom() => new(random.Next());

    public void CountSent(int count)
    {
        if (counter is not null)
        {
            Interlocked.Add(ref counter.Sent, count);
        }
    }

    public void StopReading() => stopReading = true;

    /// <summary>Closes the socket this link writes to; the other link then sees its source fail and ends too.</summary>
    public void CloseDestination()
    {
        stopReading = true;
        GracefulClose.Close(destination);
    }

    /// <summary>Resets the connection (TCP RST both ways) after the given time, unless it closes first (reset_peer).</summary>
    public Task ResetAfterAsync(long milliseconds) => connection.ResetAfterAsync(milliseconds);

    private async Task ReadAllAsync()
    {
        var waitForData = true;
        while (!stopReading)
        {
            int count;
            long arrival;
            byte[] buffer;
            try
            {
                if (waitForData)
                {
                    // An idle connection holds no buffer: wait for readable data with an empty read first.
                    await source.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
                }
                buffer = ChunkBuffers.Pool.Rent(ChunkBuffers.Size);
                try
                {
                    // While a stage reckons from arrival times, a chunk's time is when the kernel received it, not when
                    // this loop got to read it after a thread-pool wake-up; otherwise the plain read costs less.
                    if (chain.TimesFromArrival && (kernelStamps ??= KernelArrivalTime.TryEnable(source)))
                    {
                        count = KernelArrivalTime.Receive(source, buffer, out var stamp);
                        arrival = stamp ?? Stopwatch.GetTimestamp();
                    }
                    else
                    {
                        count = await source.ReceiveAsync(buffer.AsMemory(), SocketFlags.None);
                        arrival = Stopwatch.GetTimestamp();
                    }
                }
                catch
                {
                    ChunkBuffers.Pool.Return(buffer);
                    throw;
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            if (count < 0)
            {
                // Nothing was waiting after all (the empty read can complete without data): wait again.
                ChunkBuffers.Pool.Return(buffer);
                waitForData = true;
                continue;
            }
            if (count == 0)
            {
                ChunkBuffers.Pool.Return(buffer);
                return;
            }
            // A full buffer means more is probably waiting: read again at once instead of waiting first.
            waitForData = count < buffer.Length;
            if (counter is not null)
            {
                Interlocked.Add(ref counter.Received, count);
            }
            await PushAsync(new Chunk(buffer, 0, count, arrival, ownsBuffer: true));
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask PushAsync(Chunk chunk)
    {
        await gate.WaitAsync();
        try
        {
            await EnsureCurrentChainAsync();
            await chain.Head.WriteAsync(chunk);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task EndAsync()
    {
        while (true)
        {
            await gate.WaitAsync();
            try
            {
                await EnsureCurrentChainAsync();
                // Interrupted by a toxic change: end again through the new chain. By the connection closing: stop.
                if (await chain.Head.EndAsync() || abandoned)
                {
                    return;
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private async Task ApplyChangeAsync()
    {
        try
        {
            await gate.WaitAsync();
            try
            {
                if (!finished)
                {
                    await EnsureCurrentChainAsync();
                }
            }
            finally
            {
                gate.Release();
            }
        }
        catch (Exception e)
        {
            Proxy.Logger.LogWarning(e, "proxy {Proxy}: applying toxics to connection {Connection} failed", Proxy.Name, connection.Id);
            connection.Close();
        }
    }

    private async Task FinishAsync()
    {
        await gate.WaitAsync();
        try
        {
            finished = true;
            await chain.RetireAsync();
        }
        catch (Exception e)
        {
            Proxy.Logger.LogDebug(e, "proxy {Proxy}: retiring the chain of connection {Connection} failed", Proxy.Name, connection.Id);
        }
        finally
        {
            gate.Release();
        }
    }

    private async ValueTask EnsureCurrentChainAsync()
    {
        var toxics = Proxy.State.Toxics;
        var network = Proxy.Network;
        if (chain.IsBuiltFrom(toxics, network))
        {
            return;
        }
        await chain.RetireAsync();
        chain = Build(toxics, network);
        chain.Start();
        Interlocked.MemoryBarrier();
        if (abandoned)
        {
            // The connection is closing: the new chain must not hold anything either.
            chain.Interrupt();
        }
    }

    private LinkChain Build(ImmutableArray<Toxic> toxics, LinkShape network)
    {
        var stages = ImmutableArray.CreateBuilder<ToxicStage>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var toxic in toxics)
        {
            if (toxic.Direction != Direction)
            {
                continue;
            }
            present.Add(toxic.Name);
            if (!states.TryGetValue(toxic.Name, out var state) || state.Toxic.Kind != toxic.Kind)
            {
                state = new LinkToxicState(toxic, Draw(toxic));
                states[toxic.Name] = state;
            }
            else if (!ReferenceEquals(state.Toxic, toxic))
            {
                // Updated: draw again, keep the per-connection data (limit_data's count survives updates).
                state.Toxic = toxic;
                state.Active = Draw(toxic);
            }
            if (state.Active && toxic.Kind.CreateStage(toxic, this, state) is { } stage)
            {
                stages.Add(stage);
            }
        }
        foreach (var name in states.Keys.Where(n => !present.Contains(n)).ToList())
        {
            states.Remove(name);
        }
        if (!network.IsNone)
        {
            // The wire comes last: the toxics decide what leaves the proxy and when, then it crosses the path.
            stages.Add(new NetworkPathStage(network, NewRandom()));
        }
        return new LinkChain(toxics, network, stages.ToImmutable(), writer);
    }

    private bool Draw(Toxic toxic)
    {
        var active = toxic.Toxicity >= 1f || random.NextSingle() < toxic.Toxicity;
        if (Proxy.Logger.IsEnabled(LogLevel.Debug))
        {
            Proxy.Logger.LogDebug("proxy {Proxy}: connection {Connection} {Direction}: toxic {Toxic} ({Type}, toxicity {Toxicity}) {Decision}",
                Proxy.Name, connection.Id, Direction, toxic.Name, toxic.Type, toxic.Toxicity, active ? "applies" : "skipped");
        }
        return active;
    }
}
