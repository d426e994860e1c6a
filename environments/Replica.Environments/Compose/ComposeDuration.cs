using System.Globalization;
using System.Text.RegularExpressions;

namespace Replica.Environments.Compose;

/// <summary>Compose durations: Go's format ("1m30s", "500ms", "2h"), as healthcheck and x-replica fields use.</summary>
public static partial class ComposeDuration
{
    [GeneratedRegex(@"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)")]
    private static partial Regex Part();

    [GeneratedRegex(@"^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$")]
    private static partial Regex Whole();

    /// <summary>False when <paramref name="text"/> is no duration; <see cref="TimeSpan.MaxValue"/> when it is longer than that.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (!Whole().IsMatch(text))
        {
            return false;
        }
        var seconds = 0.0;
        foreach (Match m in Part().Matches(text))
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            seconds += n * m.Groups[2].Value switch
            {
                "h" => 3600,
                "m" => 60,
                "s" => 1,
                "ms" => 1e-3,
                "us" or "µs" => 1e-6,
                _ => 1e-9,
            };
        }
        value = seconds < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)) : TimeSpan.MaxValue;
        return true;
    }
}
