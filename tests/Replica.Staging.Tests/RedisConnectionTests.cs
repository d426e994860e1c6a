using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Replica.Environments.Hosting;
using Replica.Environments.Runtimes;
using Replica.Staging.Backend.Configuration;
using Replica.Staging.Backend.Redis;
using Replica.Tests.Support;
using StackExchange.Redis;

namespace Replica.Staging.Tests;

/// <summary>
/// The backend's one Redis connection (StackExchange.Redis underneath) against a real redis-server: what the backend
/// relies on — an honest connected state, commands that fail at once without a connection, the reason it is not
/// connected, reconnecting by itself after the server was late, died or paused.
/// </summary>
public sealed class RedisConnectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly IsolatedStateStore _state = new();
    private readonly ScratchDirectory _directory = new();
    private readonly List<RedisConnection> _connections = [];
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
        var builder = new EnvironmentBuilder().WithComposeFile(compose).WithName("redis-connection").WithStateDirectory(_state.Root);
        _environment = await (deferred ? builder.WithDeferredStart("redis") : builder).Build().StartAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            foreach (var connection in _connections)
            {
                await connection.DisposeAsync();
            }
        }
        finally
        {
            // Whatever a connection did on the way out, the server, its state and the scratch files go.
            await _environment.DisposeAsync();
            await _state.DisposeAsync();
            _directory.Dispose();
        }
    }

    private RedisConnection Connection(string connectTimeout = "2s")
    {
        var settings = BackendSettings.FromEnvironment(key => key switch
        {
            "DATABASE_URL" => "postgresql://netra:netra@127.0.0.1:5432/netra",
            "REDIS_URL" => $"redis://{Address.Host}:{Address.Port}/0",
            "REDIS_CONNECT_TIMEOUT" => connectTimeout,
            "REDIS_RECONNECT_BACKOFF" => "20ms",
            "REDIS_RECONNECT_BACKOFF_MAX" => "200ms",
            "REDIS_HEARTBEAT_INTERVAL" => "50ms",
            _ => null,
        });
        var connection = new RedisConnection(settings, NullLogger.Instance);
        _connections.Add(connection);
        connection.Start();
        return connection;
    }

    private async Task<RedisConnection> ConnectedAsync()
    {
        var connection = Connection();
        await connection.WaitConnectedAsync(new CancellationTokenSource(Patience).Token);
        return connection;
    }

    [Fact]
    public async Task Connects_in_the_background_and_serves_what_the_backend_sends()
    {
        var connection = await ConnectedAsync();

        Assert.True(connection.IsConnected);
        Assert.Null(connection.LastError);
        Assert.True(await connection.PingAsync() > TimeSpan.Zero);
        await connection.Database.StringSetAsync("ws:connection:c1", "e2e-user", TimeSpan.FromSeconds(60));
        Assert.Equal("e2e-user", await connection.Database.StringGetAsync("ws:connection:c1"));
        Assert.InRange((await connection.Database.KeyTimeToLiveAsync("ws:connection:c1"))!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.True(await connection.Database.KeyDeleteAsync("ws:connection:c1"));
        Assert.Equal(0, await connection.Database.PublishAsync(RedisChannel.Literal("agent:runs"), "nobody listens"));
    }

    [Fact]
    public async Task Without_a_server_it_says_why_fails_commands_at_once_and_connects_when_the_server_starts()
    {
        await _environment.DisposeAsync();
        await StartAsync(deferred: true);
        var connection = Connection();
        await Eventually.WaitAsync(() => connection.LastError?.Contains("ConnectionRefused") == true, Patience, "a first refused attempt");

        Assert.False(connection.IsConnected);
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<RedisConnectionException>(() => connection.Database.StringGetAsync("k"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"a command without a connection must fail at once, not wait ({clock.ElapsedMilliseconds} ms)");

        await Redis.StartAsync();
        await connection.WaitConnectedAsync(new CancellationTokenSource(Patience).Token);
        Assert.True(connection.IsConnected);
        await connection.Database.StringSetAsync("k", "v");
        Assert.Equal("v", await connection.Database.StringGetAsync("k"));
    }

    [Fact]
    public async Task A_server_restart_is_seen_and_survived()
    {
        var connection = await ConnectedAsync();
        await connection.Database.StringSetAsync("before", "1");

        await Redis.KillAsync();

        await Eventually.WaitAsync(() => !connection.IsConnected, Patience, "the connection to be seen as lost");
        Assert.NotNull(connection.LastError);
        await Assert.ThrowsAsync<RedisConnectionException>(() => connection.Database.StringGetAsync("before"));

        await Redis.StartAsync();

        await connection.WaitConnectedAsync(new CancellationTokenSource(Patience).Token);
        Assert.True((await connection.Database.StringGetAsync("before")).IsNull); // a fresh server without persistence: the data went with it
        await connection.Database.StringSetAsync("after", "2");
        Assert.Equal("2", await connection.Database.StringGetAsync("after"));
    }

    [Fact]
    public async Task A_server_that_accepts_but_does_not_answer_is_not_connected_until_it_answers()
    {
        await Redis.PauseAsync(); // the kernel still accepts connections; the handshake gets no answer
        var connection = Connection(connectTimeout: "300ms");

        await Eventually.WaitAsync(() => connection.LastError?.Contains("no answer within REDIS_CONNECT_TIMEOUT 300ms") == true, Patience,
            () => $"the connect timeout as the reason; last reason: {connection.LastError}");
        Assert.False(connection.IsConnected);

        await Redis.ResumeAsync();
        await connection.WaitConnectedAsync(new CancellationTokenSource(Patience).Token);
        Assert.True(await connection.PingAsync() > TimeSpan.Zero);
    }

    [Fact]
    public async Task Waiting_for_the_connection_gives_up_with_its_caller_and_disposing_does_not_wait_for_a_connect_in_progress()
    {
        await Redis.PauseAsync();
        var connection = Connection(connectTimeout: "20s");
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.WaitConnectedAsync(patience.Token));

        var clock = Stopwatch.StartNew();
        await connection.DisposeAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"dispose waited {clock.ElapsedMilliseconds} ms for a connect that may take 20 s");
        await Redis.ResumeAsync();
    }
}
