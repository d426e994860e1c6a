using System.Diagnostics;
using Replica.Environments.Docker;
using Replica.Testing.Containers;
using StackExchange.Redis;
using Testcontainers.Redis;
using Xunit.Abstractions;

namespace Replica.Testing.Tests.Examples;

/// <summary>
/// A Testcontainers test as its authors already write it — a Redis container, StackExchange.Redis — with Replica's
/// fault proxy put in front of the container's port and a latency toxic scoped with <c>await using</c>.
/// </summary>
[Trait("Category", "Docker")]
public sealed class RedisContainerLatencyExamples(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan AddedLatency = TimeSpan.FromMilliseconds(200);

    private RedisContainer redis = null!;
    private TcpFaultProxy proxy = null!;
    private ConnectionMultiplexer connection = null!;

    public async Task InitializeAsync()
    {
        // Testcontainers on this machine's engine (API version, no Ryuk, 127.0.0.1): before the first container.
        await TestcontainersConfiguration.EnsureConfiguredAsync();
        redis = new RedisBuilder("replica/redis:7").Build();
        await redis.StartAsync();
        proxy = await TcpFaultProxy.StartAsync(redis, RedisBuilder.RedisPort);
        // The code under test gets the proxy's address instead of the container's.
        connection = await ConnectionMultiplexer.ConnectAsync(proxy.Endpoint);
    }

    public async Task DisposeAsync()
    {
        await connection.DisposeAsync();
        await proxy.DisposeAsync();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task Every_answer_from_redis_is_late_by_the_latency_while_the_toxic_is_in_scope_and_on_time_after()
    {
        var database = connection.GetDatabase();
        await database.StringSetAsync("greeting", "hello");

        TimeSpan[] slow;
        await using (proxy.AddLatency(AddedLatency))
        {
            slow = await TimeGetsAsync(database, 5);
        }
        var fast = await TimeGetsAsync(database, 5);

        var measured = $"GET round trips with the toxic: {Describe(slow)}; after it: {Describe(fast)}";
        output.WriteLine(measured);
        Assert.All(slow, t => Assert.True(t >= AddedLatency && t < AddedLatency + TimeSpan.FromSeconds(1), measured));
        Assert.True(Median(fast) < AddedLatency / 2, measured);
    }

    private static async Task<TimeSpan[]> TimeGetsAsync(IDatabase database, int count)
    {
        var times = new TimeSpan[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Assert.Equal("hello", await database.StringGetAsync("greeting"));
            times[i] = Stopwatch.GetElapsedTime(start);
        }
        return times;
    }

    private static TimeSpan Median(TimeSpan[] times) => times.Order().ElementAt(times.Length / 2);

    private static string Describe(TimeSpan[] times) => string.Join(", ", times.Select(t => $"{t.TotalMilliseconds:F1} ms"));
}
