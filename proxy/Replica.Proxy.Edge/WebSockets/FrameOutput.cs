namespace Replica.Proxy.Edge.WebSockets;

/// <summary>
/// One direction's outgoing byte stream, shared by the frames that pass through and the frames the proxy injects.
/// Whoever writes holds the lock for a whole frame (a whole message when it streams one), so frames never interleave.
/// </summary>
internal sealed class FrameOutput(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write)
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public Task AcquireAsync(CancellationToken cancellationToken) => _lock.WaitAsync(cancellationToken);

    public void Release() => _lock.Release();

    /// <summary>Writes while the caller holds the lock.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => write(bytes, cancellationToken);

    /// <summary>Takes the lock, writes one whole frame, releases.</summary>
    public async Task WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await write(frame, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }
}
