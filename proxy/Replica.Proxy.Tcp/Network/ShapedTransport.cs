using System.Diagnostics;
using System.IO.Pipelines;

namespace Replica.Proxy.Tcp.Network;

/// <summary>
/// A connection's transport seen through a <see cref="LinkShape"/>: what the client sends reaches the server (Kestrel,
/// TLS, HTTP/1.1, HTTP/2, WebSockets — everything above the socket) as late as the path would bring it, and what the
/// server sends leaves as late. The client's first bytes also wait out the TCP handshake's round trip, which the
/// kernel has already completed on loopback.
/// </summary>
internal sealed class ShapedTransport : IDuplexPipe
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(30);
    private readonly IDuplexPipe _inner;
    private readonly Pipe _fromClient = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Pipe _toClient = new(new PipeOptions(useSynchronizationContext: false));
    private readonly DelayLine _inbound;
    private readonly DelayLine _outbound;

    public ShapedTransport(IDuplexPipe inner, LinkShape shape, Random random, long acceptedAt)
    {
        _inner = inner;
        var handshake = (long)(shape.RoundTrip.TotalSeconds * Stopwatch.Frequency);
        _inbound = new DelayLine(inner.Input, _fromClient.Writer, shape, new Random(random.Next()), acceptedAt + handshake);
        _outbound = new DelayLine(_toClient.Reader, inner.Output, shape, new Random(random.Next()), 0);
    }

    public PipeReader Input => _fromClient.Reader;

    public PipeWriter Output => _toClient.Writer;

    /// <summary>
    /// The server is done with the connection: what it wrote still crosses the path (up to 30 s, or until the client
    /// is gone), then both lines stop and the real transport is left complete for Kestrel to close.
    /// </summary>
    public async Task FinishAsync(CancellationToken connectionClosed)
    {
        await _toClient.Writer.CompleteAsync();
        await _fromClient.Reader.CompleteAsync();
        try
        {
            await _outbound.Releasing.WaitAsync(DrainLimit, connectionClosed);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // The client stopped reading or left: nothing more to deliver.
        }
        _inbound.Stop();
        _outbound.Stop();
        await Task.WhenAll(_inbound.Reading, _inbound.Releasing, _outbound.Reading, _outbound.Releasing);
    }
}
