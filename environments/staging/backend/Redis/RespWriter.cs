using System.Buffers;
using System.Globalization;
using System.Text;

namespace Replica.Staging.Backend.Redis;

/// <summary>Encodes a command as a RESP array of bulk strings: *N\r\n then $len\r\nbytes\r\n per argument.</summary>
internal static class RespWriter
{
    public static byte[] Encode(IReadOnlyList<string> arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        WriteAscii(buffer, $"*{arguments.Count.ToString(CultureInfo.InvariantCulture)}\r\n");
        foreach (var argument in arguments)
        {
            var bytes = Encoding.UTF8.GetBytes(argument);
            WriteAscii(buffer, $"${bytes.Length.ToString(CultureInfo.InvariantCulture)}\r\n");
            buffer.Write(bytes);
            buffer.Write("\r\n"u8);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteAscii(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        buffer.Advance(written);
    }
}
