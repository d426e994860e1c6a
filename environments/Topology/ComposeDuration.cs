using System.Globalization;
using System.Text.RegularExpressions;

namespace Replica.Environments.Topology;

/// <summary>Compose durations: Go's format ("1m30s", "500ms", "2h"), as healthcheck and x-replica fields use.</summary>
public static partial class ComposeDuration
{
    [GeneratedRegex(@"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)")]
    private static partial Regex Part();

    [GeneratedRegex(@"^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$")]
    private static partial Regex Whole();

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (!Whole().IsMatch(text))
        {
            return false;
        }
        foreach (Match m in Part().Matches(text))
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            value += m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                "ms" => TimeSpan.FromMilliseconds(n),
                "us" or "µs" => TimeSpan.FromMicroseconds(n),
                _ => TimeSpan.FromTicks((long)(n / 100)),
            };
        }
        return true;
    }
}
