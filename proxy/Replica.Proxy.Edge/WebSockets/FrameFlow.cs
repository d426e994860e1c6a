using System.Buffers;
using Replica.Proxy.Edge.Faults.Actions;

namespace Replica.Proxy.Edge.WebSockets;

/// <summary>
/// The frames of one direction of one WebSocket connection. Bytes arrive in arbitrary pieces; the flow finds frame
/// boundaries and, per data message, either streams it through untouched (no rule needs to see it) or buffers the
/// whole message so that rules can read its JSON and drop or delay it. Control frames always pass, in order.
/// </summary>
internal sealed class FrameFlow(FrameDirection direction, FrameOutput output, WebSocketFaultSession session)
{
    // A buffer grown past this by one big message is dropped after it, so the message does not pin it for the connection's life.
    private const int KeepBufferBytes = 1024 * 1024;

    private readonly byte[] _header = new byte[WebSocketFrameHeader.MaxHeaderLength];
    private int _headerFilled;
    private bool _inFrame;
    private WebSocketFrameHeader _frame;
    private long _remaining;
    private long _position;
    private FrameHandling _frameMode;
    private FrameHandling? _messageMode;
    private bool _messageCompressed;
    private bool _ownsOutput;
    private bool _controlAcquired;
    private ArrayBufferWriter<byte>? _raw;
    private int _messageFrames;
    private bool _holdingOther;
    private ArrayBufferWriter<byte>? _closePayload;

    public FrameDirection Direction { get; } = direction;

    public FrameOutput Output { get; } = output;

    public async ValueTask ProcessAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            if (!_inFrame)
            {
                var need = _headerFilled < 2 ? 2 : WebSocketFrameHeader.RequiredLength(_header);
                var take = Math.Min(need - _headerFilled, data.Length);
                data.Span[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                data = data[take..];
                if (_headerFilled < 2 || _headerFilled < WebSocketFrameHeader.RequiredLength(_header))
                {
                    continue;
                }
                _frame = WebSocketFrameHeader.Parse(_header);
                _headerFilled = 0;
                _inFrame = true;
                _remaining = _frame.PayloadLength;
                _position = 0;
                await BeginFrameAsync(_header.AsMemory(0, _frame.HeaderLength), cancellationToken);
                if (_remaining == 0)
                {
                    await EndFrameAsync(cancellationToken);
                }
                continue;
            }

            var n = (int)Math.Min(_remaining, data.Length);
            var chunk = data[..n];
            if (_frameMode == FrameHandling.Pass)
            {
                _closePayload?.Write(chunk.Span);
                await Output.WriteAsync(chunk, cancellationToken);
            }
            else if (_frameMode == FrameHandling.Buffer)
            {
                _raw!.Write(chunk.Span);
            }
            _remaining -= n;
            _position += n;
            data = data[n..];
            if (_remaining == 0)
            {
                await EndFrameAsync(cancellationToken);
            }
        }
    }

    private async ValueTask BeginFrameAsync(ReadOnlyMemory<byte> header, CancellationToken cancellationToken)
    {
        if (!_ownsOutput)
        {
            // Not in the middle of a streamed message (whose output this flow holds, and which a close must be able
            // to follow): wait while the other direction decides the triggers of a message it is delivering.
            await session.WaitForOtherDirectionAsync(Direction, cancellationToken);
        }
        if (session.IsClosing)
        {
            ReleaseHold();
            // After the proxy closed the connection, the peer's frames (its close reply included) go nowhere.
            _frameMode = FrameHandling.Discard;
            if (_frame.Opcode == WebSocketFrameHeader.Close)
            {
                session.OnCloseReplySeen(Direction);
            }
            return;
        }

        if (_frame.IsControl)
        {
            _frameMode = FrameHandling.Pass;
            // A close frame's code and reason, for the tap (at most 125 bytes).
            _closePayload = _frame.Opcode == WebSocketFrameHeader.Close && session.TapActive ? new ArrayBufferWriter<byte>(125) : null;
            _controlAcquired = !_ownsOutput;
            if (_controlAcquired)
            {
                await Output.AcquireAsync(cancellationToken);
            }
            await Output.WriteAsync(header, cancellationToken);
            return;
        }

        if (_frame.Opcode != WebSocketFrameHeader.Continuation || _messageMode is null)
        {
            // First frame of a message: decide, once per message, whether rules need to see it.
            _messageMode = session.PlanMessage(Direction, out var mayFire) ? FrameHandling.Buffer : FrameHandling.Pass;
            if (mayFire)
            {
                session.HoldOtherDirection(Direction);
                _holdingOther = true;
            }
            _messageCompressed = _frame.Rsv1;
            if (_messageMode == FrameHandling.Pass)
            {
                await Output.AcquireAsync(cancellationToken);
                _ownsOutput = true;
            }
            else
            {
                _raw ??= new ArrayBufferWriter<byte>();
                _messageFrames = 0;
            }
        }
        _frameMode = _messageMode.Value;
        if (_frameMode == FrameHandling.Pass)
        {
            await Output.WriteAsync(header, cancellationToken);
        }
        else
        {
            _raw!.Write(header.Span);
            _messageFrames++;
        }
    }

    private async ValueTask EndFrameAsync(CancellationToken cancellationToken)
    {
        _inFrame = false;
        if (_frameMode == FrameHandling.Discard)
        {
            return;
        }
        if (_frame.IsControl)
        {
            if (_closePayload is not null)
            {
                var payload = _closePayload.WrittenSpan.ToArray();
                _frame.ApplyMask(payload, 0);
                _closePayload = null;
                session.OnCloseFrame(Direction, payload);
            }
            if (_controlAcquired)
            {
                _controlAcquired = false;
                Output.Release();
            }
            return;
        }
        if (!_frame.Fin)
        {
            return;
        }

        try
        {
            await EndMessageAsync(cancellationToken);
        }
        finally
        {
            ReleaseHold();
        }
    }

    private void ReleaseHold()
    {
        if (_holdingOther)
        {
            _holdingOther = false;
            session.ReleaseOtherDirection(Direction);
        }
    }

    private async ValueTask EndMessageAsync(CancellationToken cancellationToken)
    {
        var mode = _messageMode;
        _messageMode = null;
        if (mode == FrameHandling.Pass)
        {
            _ownsOutput = false;
            Output.Release();
            await session.OnMessageDeliveredAsync(Direction, null, cancellationToken);
        }
        else
        {
            var raw = _raw!.WrittenMemory;
            byte[]? rented = null;
            try
            {
                ReadOnlyMemory<byte> payload;
                if (_messageFrames == 1 && !_frame.Masked)
                {
                    // One unmasked frame (what servers send): the payload is the raw bytes after the header.
                    payload = raw[_frame.HeaderLength..];
                }
                else
                {
                    rented = ArrayPool<byte>.Shared.Rent(raw.Length);
                    payload = rented.AsMemory(0, UnmaskPayloads(raw.Span, rented));
                }
                await session.HandleBufferedMessageAsync(this, raw, payload, _messageCompressed, cancellationToken);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
                if (_raw!.Capacity > KeepBufferBytes)
                {
                    _raw = null;
                }
                else
                {
                    _raw.Clear();
                }
            }
        }
    }

    /// <summary>Copies the payloads of the buffered frames (headers and all) into <paramref name="destination"/>, unmasked; returns their length.</summary>
    private static int UnmaskPayloads(ReadOnlySpan<byte> frames, Span<byte> destination)
    {
        var written = 0;
        while (!frames.IsEmpty)
        {
            var header = WebSocketFrameHeader.Parse(frames);
            var payload = frames.Slice(header.HeaderLength, (int)header.PayloadLength);
            var target = destination.Slice(written, payload.Length);
            payload.CopyTo(target);
            header.ApplyMask(target, 0);
            written += payload.Length;
            frames = frames[(header.HeaderLength + payload.Length)..];
        }
        return written;
    }
}
