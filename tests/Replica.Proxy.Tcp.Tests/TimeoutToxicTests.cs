using System.Diagnostics;
using System.Net.Sockets;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>timeout: data of its direction is dropped; the connection closes after T ms without data, never with 0.</summary>
public sealed class TimeoutToxicTests : ProxyTestBase
{
    [Fact]
    public async Task Drops_data_and_closes_after_the_timeout()
    {
        var proxy = CreateProxy(Spec("timeout", "upstream", ("timeout", 200)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;
        var start = Stopwatch.GetTimestamp();

        await client.SendAsync("lost"u8.ToArray(), SocketFlags.None);
        var server = await backend.ReadToEndAsync(TimeSpan.FromSeconds(5));
        var clientSide = await client.ReadToEndAsync(TimeSpan.FromSeconds(5));

        Assert.Empty(server.Data);
        Assert.Empty(clientSide.Data);
        Assert.InRange(Milliseconds(start), 200, 2000);
    }

    [Fact]
    public async Task A_new_connection_that_never_sends_closes_after_the_timeout()
    {
        // As in Toxiproxy, the clock starts when the connection does: an idle client is not kept open for ever.
        var proxy = CreateProxy(Spec("timeout", "upstream", ("timeout", 200)));
        var start = Stopwatch.GetTimestamp();
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        var clientSide = await client.ReadToEndAsync(TimeSpan.FromSeconds(5));

        Assert.Empty(clientSide.Data);
        Assert.InRange(Milliseconds(start), 200, 2000);
    }

    [Fact]
    public async Task Zero_never_closes_and_removing_the_toxic_closes_the_connection()
    {
        var proxy = CreateProxy(Spec("timeout", "upstream", ("timeout", 0)));
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;

        await client.SendAsync("lost"u8.ToArray(), SocketFlags.None);
        using (var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(400)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await backend.ReceiveAsync(new byte[4], SocketFlags.None, quiet.Token));
        }
        proxy.RemoveToxic("timeout_upstream");

        Assert.Empty((await backend.ReadToEndAsync(TimeSpan.FromSeconds(1))).Data);
        Assert.Empty((await client.ReadToEndAsync(TimeSpan.FromSeconds(1))).Data);
    }
}

/// <summary>
/// timeout on a fake clock: the idle close comes after exactly T of the toxics' time without data, not before. The
/// toxic is added to an open connection, whose chain is rebuilt at once: its clock starts then, with no chunk racing it.
/// </summary>
public sealed class TimeoutToxicTestClockTests : ProxyTestBase
{
    private readonly FakeClock _clock = new();

    protected override TimeProvider Time => _clock;

    [Fact]
    public async Task Closes_after_the_timeout_of_silence_and_not_a_millisecond_before()
    {
        var proxy = CreateProxy();
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;
        var timers = _clock.TimersCreated;
        // A minute of test time: on the real clock the connection would stay open for the whole test.
        proxy.AddToxic(Spec("timeout", "upstream", ("timeout", 60_000)));
        await _clock.WaitForTimersAsync(timers + 1, "the timeout to arm on the open connection");

        _clock.AdvanceMs(59_999);
        // The other direction has no toxic: a round trip through it shows the connection is still open.
        await backend.SendAsync("open"u8.ToArray(), SocketFlags.None);
        var stillOpen = await client.ReadExactlyAsync(4);
        // The timer may fire up to a millisecond late (whole milliseconds, plus one against early wake-ups).
        _clock.AdvanceMs(2);
        var clientSide = await client.ReadToEndAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("open"u8.ToArray(), stillOpen);
        Assert.Empty(clientSide.Data);
    }

    [Fact]
    public async Task Zero_never_closes_however_long_the_silence()
    {
        var proxy = CreateProxy();
        var (client, backend) = await ConnectAsync(proxy);
        using var _ = client;
        using var __ = backend;
        proxy.AddToxic(Spec("timeout", "upstream", ("timeout", 0)));
        await client.SendAsync("lost"u8.ToArray(), SocketFlags.None);

        _clock.Advance(TimeSpan.FromDays(30));
        await backend.SendAsync("open"u8.ToArray(), SocketFlags.None);

        Assert.Equal("open"u8.ToArray(), await client.ReadExactlyAsync(4));
    }
}
