namespace Replica.Proxy.Tcp.Links;

/// <summary>
/// Bytes read from a socket in one read, with the time they arrived. The buffer comes from ChunkBuffers; the piece
/// that owns it returns it once written or dropped. The default value marks the end of the stream.
/// </summary>
internal readonly struct Chunk
{
    private readonly byte[]? buffer;
    private readonly int offset;
    private readonly bool ownsBuffer;

    public Chunk(byte[] buffer, int offset, int count, long timestamp, bool ownsBuffer)
    {
        this.buffer = buffer;
        this.offset = offset;
        Count = count;
        Timestamp = timestamp;
        this.ownsBuffer = ownsBuffer;
    }

    public static Chunk End => default;

    public bool IsEnd => buffer is null;

    public int Count { get; }

    /// <summary>Stopwatch timestamp of arrival, moved forward by latency toxics so that chained delays add up.</summary>
    public long Timestamp { get; }

    public ReadOnlyMemory<byte> Memory => new(buffer, offset, Count);

    /// <summary>A piece of this chunk. Give <paramref name="ownsBuffer"/> to the last piece sent only, and do not release this chunk after.</summary>
    public Chunk Slice(int start, int length, bool ownsBuffer) => new(buffer!, offset + start, length, Timestamp, ownsBuffer && this.ownsBuffer);

    public Chunk WithTimestamp(long timestamp) => new(buffer!, offset, Count, timestamp, ownsBuffer);

    public void Release()
    {
        if (ownsBuffer)
        {
            ChunkBuffers.Pool.Return(buffer!);
        }
    }
}
