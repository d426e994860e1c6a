using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;

namespace Replica.Cli.Control;

/// <summary>
/// What the dashboard's live view is fed: environment events, the edge's requests and frames, control actions. Each
/// item is one JSON object with a <c>channel</c>; the last <see cref="History"/> are kept for a page that opens late.
/// Every subscriber has a bounded queue of its own: a slow page loses its oldest items, never slows the proxy.
/// </summary>
internal sealed class LiveFeed
{
    public const int History = 400;

    private readonly Queue<string> _recent = new();
    private readonly List<Channel<string>> _subscribers = [];
    private long _sequence;

    /// <summary>Feeds <paramref name="item"/> on <paramref name="channel"/>, written as <paramref name="type"/> says (a <see cref="ControlJsonContext"/> type).</summary>
    public void Publish<T>(string channel, T item, JsonTypeInfo<T> type)
    {
        var element = JsonSerializer.SerializeToElement(item, type);
        var json = JsonSerializer.Serialize(new LiveFeedItem(Interlocked.Increment(ref _sequence), channel, element), ControlJsonContext.Default.LiveFeedItem);
        lock (_subscribers)
        {
            _recent.Enqueue(json);
            while (_recent.Count > History)
            {
                _recent.Dequeue();
            }
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(json);
            }
        }
    }

    /// <summary>The recent items, then every new one, until <paramref name="cancellationToken"/> ends it.</summary>
    public async IAsyncEnumerable<string> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(2 * History) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        string[] recent;
        lock (_subscribers)
        {
            recent = [.. _recent];
            _subscribers.Add(channel);
        }
        try
        {
            foreach (var item in recent)
            {
                yield return item;
            }
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            lock (_subscribers)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
