using Microsoft.Extensions.Logging;

namespace Replica.Staging.Backend.Redis;

/// <summary>
/// SUBSCRIBE on a connection of its own (a subscribed connection can do nothing else). Channels are subscribed again
/// on every reconnect, so messages published after the server came back arrive; those published while it was away
/// are lost, as with any Redis pub/sub. The handler runs on the connection's reader: keep it quick.
/// </summary>
public sealed class RedisSubscriber : IAsyncDisposable
{
    private readonly HashSet<string> _channels = [];
    private readonly RedisClient _client;
    private RedisConnection? _current;

    public RedisSubscriber(RedisClientOptions options, ILogger logger, Action<string, string> onMessage)
    {
        _client = new RedisClient(options, logger, onMessage, ResubscribeAsync);
    }

    public bool IsConnected => _client.IsConnected;

    public void Start() => _client.Start();

    public Task WaitConnectedAsync(CancellationToken cancellationToken) => _client.WaitConnectedAsync(cancellationToken);

    /// <summary>Subscribes now if connected (and returns once the server confirmed), and after every reconnect.</summary>
    public async Task SubscribeAsync(string channel, CancellationToken cancellationToken = default)
    {
        RedisConnection? current;
        // Under the same lock as the snapshot a (re)connect takes: the channel is either in that snapshot or sent here.
        lock (_channels)
        {
            _channels.Add(channel);
            current = _current;
        }
        if (current is { IsOpen: true })
        {
            await current.ExecuteAsync(["SUBSCRIBE", channel], cancellationToken);
        }
    }

    private async Task ResubscribeAsync(RedisConnection connection, CancellationToken cancellationToken)
    {
        string[] channels;
        lock (_channels)
        {
            channels = [.. _channels];
            _current = connection;
        }
        foreach (var channel in channels)
        {
            await connection.ExecuteAsync(["SUBSCRIBE", channel], cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
