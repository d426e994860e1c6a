using Microsoft.Extensions.Logging.Abstractions;
using Replica.Environments.Hosting;
using Replica.Environments.Runtimes;
using Replica.Staging.Backend.Redis;
using Replica.Tests.Support;

namespace Replica.Tests.Staging;

/// <summary>The backend's RESP client against a real redis-server, including the server dying, pausing and restarting.</summary>
public sealed class RedisClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly IsolatedStateStore _state = new();
    private readonly ScratchDirectory _directory = new();
    private readonly List<IAsyncDisposable> _clients = [];
    private RunningEnvironment _environment = null!;

    private RunningService Redis => _environment["redis"];

    /// <summary>Where redis-server listens (or will, while it is not started).</summary>
    private HostEndpoint Address => _environment.Runtime.ReserveEndpoints(Redis.Definition)![6379];

    public Task InitializeAsync() => StartAsync(deferred: false);

    private async Task StartAsync(bool deferred)
    {
        var compose = _directory.Write("compose.yaml", """
            services:
              redis:
                image: redis:7
                ports: ["6379"]
            """);
        var builder = new EnvironmentBuilder().WithComposeFile(compose).WithName("resp-client").WithStateDirectory(_state.Root);
        _environment = await (deferred ? builder.WithDeferredStart("redis") : builder).Build().StartAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            foreach (var client in _clients)
            {
                await client.DisposeAsync();
            }
        }
        finally
        {
            // Whatever a client did on the way out, the server, its state and the scratch files go.
            await _environment.DisposeAsync();
            await _state.DisposeAsync();
            _directory.Dispose();
        }
    }

    private RedisClientOptions Options(TimeSpan? connectTimeout = null) =>
        new(new RedisEndpoint(Address.Host, Address.Port, 0, null, null), connectTimeout ?? TimeSpan.FromSeconds(2),
            TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200));

    private RedisClient Client(TimeSpan? connectTimeout = null)
    {
        var client = new RedisClient(Options(connectTimeout), NullLogger.Instance);
        _clients.Add(client);
        client.Start();
        return client;
    }

    private async Task<RedisClient> ConnectedClientAsync()
    {
        var client = Client();
        await client.WaitConnectedAsync(new CancellationTokenSource(Patience).Token);
        return client;
    }

    [Fact]
    public async Task Connects_and_answers_ping_get_and_set()
    {
        var client = await ConnectedClientAsync();

        Assert.True(client.IsConnected);
        Assert.True(await client.PingAsync() > TimeSpan.Zero);
        Assert.Null(await client.GetAsync("missing"));
        await client.SetAsync("greeting", "héllo wörld\r\nwith a newline");
        Assert.Equal("héllo wörld\r\nwith a newline", await client.GetAsync("greeting"));
        var large = new string('x', 100_000);
        await client.SetAsync("large", large);
        Assert.Equal(large, await client.GetAsync("large"));
    }

    [Fact]
    public async Task Set_with_an_expiry_expires()
    {
        var client = await ConnectedClientAsync();

        await client.SetAsync("session", "1", TimeSpan.FromSeconds(60));
        var ttl = (long)(await client.ExecuteAsync(["PTTL", "session"]))!;
        Assert.InRange(ttl, 1, 60_000);

        await client.SetAsync("short", "1", TimeSpan.FromMilliseconds(50));
        await Eventually.WaitAsync(async () => await client.GetAsync("short") is null, Patience, "the key to expire");
        await client.SetAsync("kept", "1");
        Assert.Equal(-1L, await client.ExecuteAsync(["PTTL", "kept"]));
    }

    [Fact]
    public async Task A_server_error_fails_that_command_only()
    {
        var client = await ConnectedClientAsync();
        await client.SetAsync("word", "abc");

        var error = await Assert.ThrowsAsync<RedisServerException>(() => client.ExecuteAsync(["INCR", "word"]));

        Assert.StartsWith("ERR", error.Message);
        Assert.True(client.IsConnected);
        Assert.Equal("abc", await client.GetAsync("word"));
    }

    [Fact]
    public async Task Concurrent_commands_on_the_one_connection_each_get_their_own_reply()
    {
        var client = await ConnectedClientAsync();

        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => client.SetAsync($"k{i}", $"v{i}")));
        var values = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => client.GetAsync($"k{i}")));

        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"v{i}"), values);
    }

    [Fact]
    public async Task Published_messages_reach_a_subscriber()
    {
        var publisher = await ConnectedClientAsync();
        var received = new List<(string, string)>();
        var subscriber = new RedisSubscriber(Options(), NullLogger.Instance, (channel, message) => { lock (received) received.Add((channel, message)); });
        _clients.Add(subscriber);
        subscriber.Start();
        await subscriber.WaitConnectedAsync(new CancellationTokenSource(Patience).Token);

        await subscriber.SubscribeAsync("news");

        Assert.Equal(1, await publisher.PublishAsync("news", "first"));
        Assert.Equal(0, await publisher.PublishAsync("elsewhere", "unseen"));
        await Eventually.WaitAsync(() => { lock (received) return received.Count == 1; }, Patience, "the message");
        Assert.Equal(("news", "first"), received[0]);
    }

    [Fact]
    public async Task Without_a_server_it_says_not_connected_fails_commands_at_once_and_connects_when_the_server_starts()
    {
        await _environment.DisposeAsync();
        await StartAsync(deferred: true);
        var client = Client();
        await Eventually.WaitAsync(() => client.LastError is not null, Patience, "a first failed attempt");

        Assert.False(client.IsConnected);
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => client.GetAsync("k"));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1), "a command without a connection must fail at once, not wait");
        Assert.Contains("not connected", error.Message);
        Assert.Contains("ConnectionRefused", error.Message);

        await Redis.StartAsync();
        await client.WaitConnectedAsync(new CancellationTokenSource(Patience).Token);
        Assert.True(client.IsConnected);
        await client.SetAsync("k", "v");
        Assert.Equal("v", await client.GetAsync("k"));
    }

    [Fact]
    public async Task A_server_restart_mid_use_is_seen_and_survived_by_commands_and_subscriptions()
    {
        var client = await ConnectedClientAsync();
        var received = new List<string>();
        var subscriber = new RedisSubscriber(Options(), NullLogger.Instance, (_, message) => { lock (received) received.Add(message); });
        _clients.Add(subscriber);
        subscriber.Start();
        await subscriber.WaitConnectedAsync(new CancellationTokenSource(Patience).Token);
        await subscriber.SubscribeAsync("events");
        await client.SetAsync("before", "1");

        await Redis.KillAsync();

        await Eventually.WaitAsync(() => !client.IsConnected && !subscriber.IsConnected, Patience, "both connections to be seen as lost");
        await Assert.ThrowsAsync<RedisConnectionException>(() => client.GetAsync("before"));

        await Redis.StartAsync();

        await client.WaitConnectedAsync(new CancellationTokenSource(Patience).Token);
        await subscriber.WaitConnectedAsync(new CancellationTokenSource(Patience).Token);
        Assert.Null(await client.GetAsync("before")); // a fresh server without persistence: the data went with it
        await client.SetAsync("after", "2");
        Assert.Equal("2", await client.GetAsync("after"));
        Assert.Equal(1, await client.PublishAsync("events", "after the restart"));
        await Eventually.WaitAsync(() => { lock (received) return received.Contains("after the restart"); }, Patience, "the subscription to be renewed");
    }

    [Fact]
    public async Task A_command_waiting_for_its_reply_fails_when_the_server_dies()
    {
        var client = await ConnectedClientAsync();
        await Redis.PauseAsync();
        var waiting = client.GetAsync("k");
        Assert.False(waiting.IsCompleted);

        await Redis.KillAsync();

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => waiting.WaitAsync(Patience));
        Assert.Contains("connection lost", error.Message);
    }

    [Fact]
    public async Task A_server_that_accepts_but_does_not_answer_is_not_connected_until_it_answers()
    {
        await Redis.PauseAsync(); // the kernel still accepts connections; PING gets no answer
        var client = Client(connectTimeout: TimeSpan.FromMilliseconds(300));

        await Eventually.WaitAsync(() => client.LastError?.Contains("no answer within 300 ms") == true, Patience, "the connect timeout");
        Assert.False(client.IsConnected);

        await Redis.ResumeAsync();
        await client.WaitConnectedAsync(new CancellationTokenSource(Patience).Token);
        Assert.True(await client.PingAsync() > TimeSpan.Zero);
    }
}
