using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Replica.Proxy.Edge.WebSockets;

/// <summary>Builds whole frames the proxy sends itself: injected messages and close frames.</summary>
internal static class WebSocketFrames
{
    /// <summary>A final, uncompressed text frame; masked when it goes to the upstream (clients must mask, servers must not).</summary>
    public static byte[] Text(string text, bool masked) => Build(WebSocketFrameHeader.Text, Encoding.UTF8.GetBytes(text), masked);

    /// <summary>A close frame: two bytes of status code, big-endian, then the UTF-8 reason.</summary>
    public static byte[] Close(int code, string reason, bool masked)
    {
        var reasonBytes = Encoding.UTF8.GetBytes(reason);
        var payload = new byte[2 + reasonBytes.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        reasonBytes.CopyTo(payload, 2);
        return Build(WebSocketFrameHeader.Close, payload, masked);
    }

    private static byte[] Build(byte opcode, byte[] payload, bool masked)
    {
        var lengthBytes = payload.Length < 126 ? 0 : payload.Length <= ushort.MaxValue ? 2 : 8;
        var headerLength = 2 + lengthBytes + (masked ? 4 : 0);
        var frame = new byte[headerLength + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        frame[1] = (byte)((masked ? 0x80 : 0) | (lengthBytes switch { 0 => payload.Length, 2 => 126, _ => 127 }));
        if (lengthBytes == 2)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else if (lengthBytes == 8)
        {
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }
        payload.CopyTo(frame, headerLength);
        if (masked)
        {
            var keyBytes = frame.AsSpan(headerLength - 4, 4);
            RandomNumberGenerator.Fill(keyBytes);
            var header = new WebSocketFrameHeader(true, false, opcode, true, BinaryPrimitives.ReadUInt32BigEndian(keyBytes), payload.Length, headerLength);
            header.ApplyMask(frame.AsSpan(headerLength), 0);
        }
        return frame;
    }
}
