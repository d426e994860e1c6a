using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Threading.Channels;
using Replica.Proxy.Tcp.Network.Timing;

namespace Replica.Proxy.Tcp.Network;

/// <summary>
/// One direction of one shaped connection. A reader takes bytes as the sender writes them and stamps each piece with
/// the time it would reach the far end: after the link is free (pieces queue behind each other at the link's rate),
/// plus the piece's time on the wire at that rate, plus a one-way delay drawn from the shape. A releaser hands each
/// piece on at that time, with sub-millisecond precision (<see cref="ScheduledWait"/>). Pieces never overtake each
/// other; the end of the stream (or its failure) arrives after the last piece. Reading does not wait for releasing,
/// so a burst is delayed, not slowed — unless the queue is full, which pushes back on the sender as a full TCP
/// window would.
/// </summary>
internal sealed class DelayLine
{
    private const int MaxPiece = 64 * 1024;
    private readonly Channel<Piece> _queue = Channel.CreateBounded<Piece>(
        new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly ScheduledWait _wait = new();
    private readonly PipeReader _source;
    private readonly PipeWriter _sink;
    private readonly long _oneWay;
    private readonly long _jitter;
    private readonly double _ticksPerByte;
    private readonly Random _random;
    private long _linkFree;
    private long _lastDue;
    private volatile bool _stopped;

    /// <param name="notBefore">Stopwatch timestamp before which nothing may start crossing (a connect's round trip), or 0.</param>
    public DelayLine(PipeReader source, PipeWriter sink, LinkShape shape, Random random, long notBefore)
    {
        _source = source;
        _sink = sink;
        _oneWay = TicksOf(shape.RoundTrip) / 2;
        _jitter = TicksOf(shape.Jitter);
        _ticksPerByte = shape.BytesPerSecond is { } rate ? (double)Stopwatch.Frequency / rate : 0;
        _random = random;
        _linkFree = notBefore;
        Reading = Task.Run(ReadAsync);
        Releasing = Task.Run(ReleaseAsync);
    }

    /// <summary>Ends when the source has been read to its end (or failed, or the line stopped).</summary>
    public Task Reading { get; }

    /// <summary>Ends when everything read has been handed on and the sink completed (or the sink went away).</summary>
    public Task Releasing { get; }

    /// <summary>Stops at once: held pieces are dropped and both ends are completed (the connection is gone).</summary>
    public void Stop()
    {
        _stopped = true;
        _wait.Interrupt();
        _source.CancelPendingRead();
    }

    private async Task ReadAsync()
    {
        Exception? failure = null;
        try
        {
            while (!_stopped)
            {
                var result = await _source.ReadAsync();
                var buffer = result.Buffer;
                var arrival = Stopwatch.GetTimestamp();
                while (!buffer.IsEmpty && !_stopped)
                {
                    var count = (int)Math.Min(buffer.Length, MaxPiece);
                    var bytes = ArrayPool<byte>.Shared.Rent(count);
                    buffer.Slice(0, count).CopyTo(bytes);
                    buffer = buffer.Slice(count);
                    if (!await EnqueueAsync(new Piece(bytes, count, DueOf(count, arrival), End: false, Error: null)))
                    {
                        ArrayPool<byte>.Shared.Return(bytes);
                        break;
                    }
                }
                _source.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        // The end (or the failure) arrives after the last byte, as a FIN or a reset would.
        await EnqueueAsync(new Piece(null, 0, DueOf(0, Stopwatch.GetTimestamp()), End: true, Error: failure));
        _queue.Writer.TryComplete();
        await _source.CompleteAsync();
    }

    private async ValueTask<bool> EnqueueAsync(Piece piece)
    {
        try
        {
            await _queue.Writer.WriteAsync(piece);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false; // the releaser stopped: the far end is gone
        }
    }

    private long DueOf(int count, long arrival)
    {
        var start = Math.Max(arrival, _linkFree);
        var end = start + (long)(count * _ticksPerByte);
        _linkFree = end;
        var oneWay = _jitter == 0 ? _oneWay : _oneWay + (long)((_random.NextDouble() - 0.5) * _jitter);
        var due = Math.Max(end + oneWay, _lastDue);
        _lastDue = due;
        return due;
    }

    private async Task ReleaseAsync()
    {
        Exception? failure = null;
        try
        {
            await foreach (var piece in _queue.Reader.ReadAllAsync())
            {
                if (!_stopped)
                {
                    await _wait.UntilAsync(piece.Due);
                }
                if (piece.End)
                {
                    failure = piece.Error;
                    break;
                }
                try
                {
                    if (_stopped)
                    {
                        continue;
                    }
                    var flush = await _sink.WriteAsync(piece.Bytes.AsMemory(0, piece.Count));
                    if (flush.IsCompleted || flush.IsCanceled)
                    {
                        break; // nobody reads the far end any more
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(piece.Bytes!);
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        // Whatever still waits in the queue will never be delivered: let the reader see that and stop reading.
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var left))
        {
            if (left.Bytes is not null)
            {
                ArrayPool<byte>.Shared.Return(left.Bytes);
            }
        }
        _stopped = true;
        _source.CancelPendingRead();
        await _sink.CompleteAsync(failure);
    }

    private static long TicksOf(TimeSpan time) => (long)(time.TotalSeconds * Stopwatch.Frequency);

    private readonly record struct Piece(byte[]? Bytes, int Count, long Due, bool End, Exception? Error);
}
