using System.Globalization;
using System.Text.RegularExpressions;

namespace Replica.Staging.Backend.Configuration;

/// <summary>Durations as settings write them: "250ms", "1.5s", "30s", "2m"; a bare "0" is zero.</summary>
public static partial class DurationSetting
{
    [GeneratedRegex(@"^\s*(?<value>\d+(\.\d+)?)\s*(?<unit>ms|s|m)\s*$")]
    private static partial Regex Pattern();

    /// <summary>
    /// False when <paramref name="text"/> is not written as a duration. One too long for a <see cref="TimeSpan"/>
    /// ("99999999999999m") comes back as <see cref="TimeSpan.MaxValue"/>, for the caller's upper bound to refuse.
    /// </summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text.Trim() == "0")
        {
            return true;
        }
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }
        var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        var milliseconds = value * match.Groups["unit"].Value switch
        {
            "ms" => 1,
            "s" => 1000,
            _ => 60_000,
        };
        duration = milliseconds < TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.FromMilliseconds(milliseconds) : TimeSpan.MaxValue;
        return true;
    }

    /// <summary>The shortest way settings would write it: 250ms, 1.5s, 30s.</summary>
    public static string Format(TimeSpan duration) =>
        duration.TotalMilliseconds < 1000 || duration.TotalMilliseconds % 100 != 0
            ? $"{duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms"
            : $"{duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
}
