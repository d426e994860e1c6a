using System.Buffers.Binary;

namespace Replica.Proxy.Edge.WebSockets;

/// <summary>The header of one WebSocket frame (RFC 6455 §5.2).</summary>
internal readonly record struct WebSocketFrameHeader(bool Fin, bool Rsv1, byte Opcode, bool Masked, uint MaskKey, long PayloadLength, int HeaderLength)
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;

    public const int MaxHeaderLength = 14;

    public bool IsControl => (Opcode & 0x8) != 0;

    /// <summary>How many header bytes the frame starting with these bytes needs (at least 2 must be given).</summary>
    public static int RequiredLength(ReadOnlySpan<byte> start)
    {
        var length = 2;
        length += (start[1] & 0x7F) switch { 126 => 2, 127 => 8, _ => 0 };
        if ((start[1] & 0x80) != 0)
        {
            length += 4;
        }
        return length;
    }

    /// <summary>Parses a complete header (<see cref="RequiredLength"/> bytes).</summary>
    public static WebSocketFrameHeader Parse(ReadOnlySpan<byte> header)
    {
        var fin = (header[0] & 0x80) != 0;
        var rsv1 = (header[0] & 0x40) != 0;
        var opcode = (byte)(header[0] & 0x0F);
        var masked = (header[1] & 0x80) != 0;
        var offset = 2;
        long length = header[1] & 0x7F;
        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
            offset = 4;
        }
        else if (length == 127)
        {
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(header[2..]);
            offset = 10;
        }
        uint mask = 0;
        if (masked)
        {
            mask = BinaryPrimitives.ReadUInt32BigEndian(header[offset..]);
            offset += 4;
        }
        return new WebSocketFrameHeader(fin, rsv1, opcode, masked, mask, length, offset);
    }

    /// <summary>Unmasks (or masks: XOR is its own inverse) <paramref name="payload"/> that starts at <paramref name="position"/> in the frame's payload.</summary>
    public void ApplyMask(Span<byte> payload, long position)
    {
        if (!Masked)
        {
            return;
        }
        Span<byte> key = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(key, MaskKey);
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] ^= key[(int)((position + i) & 3)];
        }
    }
}
