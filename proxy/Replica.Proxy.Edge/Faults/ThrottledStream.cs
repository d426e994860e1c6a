namespace Replica.Proxy.Edge.Faults;

/// <summary>A write-only stream wrapper that paces writes so that the average rate stays at or below a byte rate.</summary>
internal sealed class ThrottledStream(Stream inner, long bytesPerSecond, TimeProvider time) : Stream
{
    private readonly long _started = time.GetTimestamp();
    private long _sent;

    // Small slices keep the pace smooth: at most a tenth of a second's worth of bytes goes out at once.
    private int SliceSize => (int)Math.Clamp(bytesPerSecond / 10, 1, 64 * 1024);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var slice = buffer[..Math.Min(buffer.Length, SliceSize)];
            // Wait until sending this slice keeps the rate at or under the limit, counting from the first byte.
            var due = TimeSpan.FromSeconds((double)_sent / bytesPerSecond);
            var wait = due - time.GetElapsedTime(_started);
            if (wait > TimeSpan.Zero)
            {
                await FaultDelay.WaitAsync(wait, time, cancellationToken);
            }
            await inner.WriteAsync(slice, cancellationToken);
            await inner.FlushAsync(cancellationToken);
            _sent += slice.Length;
            buffer = buffer[slice.Length..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
