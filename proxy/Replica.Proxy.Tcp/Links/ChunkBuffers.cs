using System.Buffers;

namespace Replica.Proxy.Tcp.Links;

/// <summary>
/// The read buffers of every link. Not ArrayPool.Shared: it keeps about 32 arrays per size per core, while a latency
/// toxic on a fast stream holds hundreds of chunks in flight, and every miss is a new 64 KiB array. This pool keeps up
/// to 512 (32 MiB at most, only after such a burst).
/// </summary>
internal static class ChunkBuffers
{
    public const int Size = 64 * 1024;

    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(Size, 512);
}
