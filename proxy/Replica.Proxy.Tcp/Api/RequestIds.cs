using System.Security.Cryptography;

namespace Replica.Proxy.Tcp.Api;

/// <summary>
/// Values for the X-Toxiproxy-Request-Id header: 20 characters of base32hex like Toxiproxy's xids, made of a
/// timestamp, a per-process random part and a counter, so they are unique and sort by time.
/// </summary>
internal static class RequestIds
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuv";
    private static readonly byte[] ProcessPart = RandomNumberGenerator.GetBytes(5);
    private static int counter = RandomNumberGenerator.GetInt32(int.MaxValue);

    public static string Next()
    {
        Span<byte> id = stackalloc byte[12];
        BitConverter.TryWriteBytes(id[..4], (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        id[..4].Reverse();
        ProcessPart.CopyTo(id[4..9]);
        var count = (uint)Interlocked.Increment(ref counter);
        id[9] = (byte)(count >> 16);
        id[10] = (byte)(count >> 8);
        id[11] = (byte)count;
        Span<char> text = stackalloc char[20];
        // 96 bits → 20 characters of 5 bits (the last carries 1 bit of padding).
        var bits = 0;
        var value = 0;
        var written = 0;
        foreach (var b in id)
        {
            value = (value << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text[written++] = Alphabet[(value >> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        text[written++] = Alphabet[(value << (5 - bits)) & 31];
        return new string(text[..written]);
    }
}
