using System.Globalization;
using System.Text.RegularExpressions;

namespace Replica.Environments.Compose;

/// <summary>
/// Rates as people write them: <c>100mbit</c>, <c>100 Mbit/s</c>, <c>12.5MB/s</c>, <c>500kB</c>, or a bare number of
/// bytes per second. Units are decimal (k = 1000); "bit" (any case) counts bits, an upper-case "B" bytes; a
/// lower-case "b" alone is refused as ambiguous.
/// </summary>
public static partial class Bandwidth
{
    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*(?:([kKmMgG]?)((?i:bit)|B)(?:/s)?)?\s*$")]
    private static partial Regex Rate();

    /// <summary>Bytes per second, or false when <paramref name="text"/> is no rate (or is below one byte per second).</summary>
    public static bool TryParse(string text, out long bytesPerSecond)
    {
        bytesPerSecond = 0;
        var m = Rate().Match(text);
        if (!m.Success)
        {
            return false;
        }
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var scale = m.Groups[2].Value.ToLowerInvariant() switch { "k" => 1e3, "m" => 1e6, "g" => 1e9, _ => 1.0 };
        var bits = m.Groups[3].Value.Length == 3;
        var bytes = value * scale / (bits ? 8 : 1);
        if (!(bytes >= 1) || bytes > long.MaxValue / 2)
        {
            return false;
        }
        bytesPerSecond = (long)bytes;
        return true;
    }

    public static string Format(long bytesPerSecond) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytesPerSecond * 8 / 1e6:0.###} Mbit/s");
}
