using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;

namespace Replica.Tests.Support;

/// <summary>
/// Generators of JSON <em>text</em> as bytes, so that what System.Text.Json would never write can be sent: escapes of
/// lone surrogates, bytes that are not UTF-8, control characters, huge strings and numbers. Objects are built from
/// named fields (each present or not, with a value meant for it or any value), which is how the APIs' own shapes are
/// described to the fuzzer; <see cref="Mutated"/> then damages the bytes.
/// </summary>
public static class FuzzJson
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>A JSON string literal from text (quotes included).</summary>
    public static byte[] Text(string text) => [(byte)'"', .. JsonEncodedText.Encode(text, Encoder).EncodedUtf8Bytes, (byte)'"'];

    /// <summary>Raw JSON bytes (a number, true, a hand-written escape…).</summary>
    public static byte[] Raw(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>String literals: mostly ordinary, often nasty (lone surrogates, bad UTF-8, NUL, '/', dots, 100 KB).</summary>
    public static readonly Gen<byte[]> Str = Gen.Frequency(
        (8, (IGen<byte[]>)Gen.Char['a', 'z'].Array[1, 12].Select(c => Text(new string(c)))),
        (3, Gen.OneOf(
            "\"\"", "\" \"", "\"\\u0000\"", "\"\\u0000fz-1\"", "\"a\\u0000bx\"", "\"../../etc\"", "\"/\"", "\".\"", "\"..\"", "\"%2F\"",
            "\"%\"", "\"?x#y\"", "\"é\"", "\"😀\"", "\"\\ud800\"", "\"\\udfff\"", "\"x\\ud83d\"", "\"\\ud83d\\ude00\"", "\"\\\"\"",
            "\"\\\\\"", "\"a\\nb\"", "\"\\t\"", "\"\\u007f\"", "\"\\u0085\"", "\"<script>\"", "\"*\"", "\"**\"", "\"/api/**\"",
            "\"\\ud800\\ud800\"", "\"\\udc00\\ud800\"").Select(Raw)),
        (1, Gen.OneOf(
            new byte[] { 0x22, 0xff, 0x22 }, new byte[] { 0x22, 0xff, 0xfe, 0x22 }, new byte[] { 0x22, 0x61, 0xc3, 0x22 },
            new byte[] { 0x22, 0xed, 0xa0, 0x80, 0x22 }, new byte[] { 0x22, 0xc0, 0xaf, 0x22 }, new byte[] { 0x22, 0x78, 0xf4, 0x90, 0x80, 0x80, 0x22 })),
        (1, Gen.OneOf(255, 256, 300, 1000, 100 * 1024).Select(n => Text(new string('n', n)))),
        (2, Gen.Char[' ', '\uD7FF'].Array[0, 8].Select(c => Text(new string(c)))));

    /// <summary>Numbers, from the ordinary to the ones that overflow a TimeSpan, an int or a double.</summary>
    public static readonly Gen<byte[]> Num = Gen.Frequency(
        (3, (IGen<byte[]>)Gen.Int[-5, 100_000].Select(i => Raw(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
        (2, Gen.OneOf("0", "1", "-1", "0.5", "-0", "1e308", "1e999", "-1e999", "86400000", "86400001", "2147483648", "9223372036854775808",
            "1.5", "3", "200", "503", "599", "600", "1000", "1011", "1004", "4999", "5000", "1e-7", "0.0000001", "100.0").Select(Raw)));

    /// <summary>Any JSON value, nesting at most <paramref name="depth"/> deep.</summary>
    public static Gen<byte[]> Value(int depth) => depth <= 0
        ? Gen.Frequency((3, Str), (3, Num), (1, (IGen<byte[]>)Gen.OneOf("true", "false", "null").Select(Raw)))
        : Gen.Frequency(
            (3, (IGen<byte[]>)Str), (3, Num), (1, Gen.OneOf("true", "false", "null", "{}", "[]").Select(Raw)),
            (1, ObjectOf([Field(Str, Value(depth - 1)), Field(Str, Value(depth - 1))])),
            (1, ArrayOf(Value(depth - 1), 0, 3)));

    /// <summary>A field: a name and a value, present with probability 3/4.</summary>
    public static Gen<byte[]?> Field(string name, Gen<byte[]> value, int presentIn4 = 3) => Field(Gen.Const(Text(name)), value, presentIn4);

    public static Gen<byte[]?> Field(Gen<byte[]> name, Gen<byte[]> value, int presentIn4 = 3) =>
        Gen.Int[0, 3].SelectMany(roll => roll < presentIn4
            ? name.SelectMany(n => value.Select(v => (byte[]?)[.. n, (byte)':', .. v]))
            : Absent);

    private static readonly Gen<byte[]?> Absent = Gen.Const((byte[]?)null);

    /// <summary>A value meant for the field most of the time, and any value otherwise.</summary>
    public static Gen<byte[]> Mostly(Gen<byte[]> meant) => Gen.Frequency((5, (IGen<byte[]>)meant), (1, Value(1)));

    public static Gen<byte[]> ObjectOf(IReadOnlyList<Gen<byte[]?>> fields) =>
        Sequence(fields).Select(parts => Join((byte)'{', parts.Where(p => p is not null).Cast<byte[]>(), (byte)'}'));

    public static Gen<byte[]> ArrayOf(Gen<byte[]> item, int min, int max) =>
        item.Array[min, max].Select(items => Join((byte)'[', items, (byte)']'));

    /// <summary>Bytes damaged in up to three places (flip, insert a hostile byte, delete, duplicate, truncate), or left whole.</summary>
    public static Gen<byte[]> Mutated(Gen<byte[]> json) => json.SelectMany(bytes => Gen.Frequency(
        (3, (IGen<byte[]>)Gen.Const(bytes)),
        (2, Mutation.Array[1, 3].Select(ms => ms.Aggregate(bytes, (b, m) => m.Apply(b))))));

    /// <summary>The body as text, bytes that are not UTF-8 shown as \xFF.</summary>
    public static string Show(byte[] body)
    {
        var text = new StringBuilder();
        var i = 0;
        while (i < body.Length)
        {
            if (Rune.DecodeFromUtf8(body.AsSpan(i), out var rune, out var used) == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.Value < 0x20 ? $"\\x{rune.Value:X2}" : rune.ToString());
                i += used;
            }
            else
            {
                text.Append($"\\x{body[i]:X2}");
                i++;
            }
        }
        return text.Length > 2000 ? text.ToString(0, 2000) + $"… ({body.Length} bytes)" : text.ToString();
    }

    /// <summary>All the generators, in order, as one generator of their values.</summary>
    public static Gen<List<T>> Sequence<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(new List<T>()), (acc, g) => acc.SelectMany(list => g.Select(x => new List<T>(list) { x })));

    private static readonly byte[] Hostile = [0xff, 0xfe, 0xc3, 0x80, 0xed, (byte)'"', (byte)'{', (byte)'[', (byte)',', (byte)'\\', 0x00, (byte)'\n', (byte)':', (byte)'}'];

    private static readonly Gen<ByteMutation> Mutation =
        Gen.Select(Gen.Int[0, 4], Gen.Double[0, 1], Gen.Int[1, 8], Gen.Int[0, Hostile.Length - 1], (kind, at, length, hostile) => new ByteMutation(kind, at, length, Hostile[hostile]));

    private static byte[] Join(byte open, IEnumerable<byte[]> parts, byte close)
    {
        var output = new List<byte> { open };
        var first = true;
        foreach (var part in parts)
        {
            if (!first)
            {
                output.Add((byte)',');
            }
            output.AddRange(part);
            first = false;
        }
        output.Add(close);
        return [.. output];
    }

    private sealed record ByteMutation(int Kind, double At, int Length, byte Byte)
    {
        public byte[] Apply(byte[] bytes)
        {
            if (bytes.Length == 0)
            {
                return [Byte];
            }
            var at = Math.Min(bytes.Length - 1, (int)(At * bytes.Length));
            var length = Math.Min(Length, bytes.Length - at);
            return Kind switch
            {
                0 => [.. bytes[..at], (byte)(bytes[at] ^ (1 << (Length % 8))), .. bytes[(at + 1)..]],
                1 => [.. bytes[..at], Byte, .. bytes[at..]],
                2 => [.. bytes[..at], .. bytes[(at + length)..]],
                3 => [.. bytes[..(at + length)], .. bytes[at..]],
                _ => bytes[..at],
            };
        }
    }
}
