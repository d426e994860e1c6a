using System.Buffers;
using System.IO.Pipelines;

namespace Replica.Proxy.Edge.WebSockets;

/// <summary>
/// The stream YARP sees as the client's upgraded connection: reads return the client's frames after the fault layer
/// (from the session's pipe), writes carry the upstream's frames into the fault layer.
/// </summary>
internal sealed class WebSocketFaultStream(WebSocketFaultSession session, PipeReader fromClient) : Stream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var result = await fromClient.ReadAsync(cancellationToken);
        var data = result.Buffer;
        if (buffer.IsEmpty || data.IsEmpty)
        {
            // A zero-byte read (YARP's way of waiting without a buffer) consumes nothing; an empty completed pipe is EOF.
            fromClient.AdvanceTo(data.Start);
            return 0;
        }
        var n = (int)Math.Min(data.Length, buffer.Length);
        data.Slice(0, n).CopyTo(buffer.Span);
        fromClient.AdvanceTo(data.GetPosition(n));
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => session.FromUpstreamAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Every write to the client is flushed by the session, frame by frame.
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
