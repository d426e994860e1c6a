using System.Globalization;
using Replica.Environments.Compose;

namespace Replica.Chaos.Sweeps;

/// <summary>How swept values are read from a range and written back into a scenario or a report.</summary>
public static class SweepValues
{
    /// <summary>
    /// Reads one value: a duration needs a unit (<c>500ms</c>, <c>2s</c>; a bare <c>0</c> is allowed), a number none.
    /// <paramref name="kind"/> null takes whichever the text is.
    /// </summary>
    public static bool TryParse(string text, SweepValueKind? kind, out double value, out SweepValueKind parsedKind, out string? error)
    {
        text = text.Trim();
        error = null;
        value = 0;
        parsedKind = kind ?? SweepValueKind.Number;
        var isNumber = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number);
        if (isNumber)
        {
            if (kind == SweepValueKind.Duration && number != 0)
            {
                error = $"'{text}' has no unit: the path holds a duration (e.g. 500ms, 2s)";
                return false;
            }
            value = number;
            parsedKind = kind ?? SweepValueKind.Number;
            return true;
        }
        if (ComposeDuration.TryParse(text, out var duration))
        {
            if (kind == SweepValueKind.Number)
            {
                error = $"'{text}' is a duration: the path holds a number";
                return false;
            }
            value = duration.TotalMilliseconds;
            parsedKind = SweepValueKind.Duration;
            return true;
        }
        error = kind switch
        {
            SweepValueKind.Duration => $"'{text}' is not a duration (e.g. 500ms, 2s)",
            SweepValueKind.Number => $"'{text}' is not a number",
            _ => $"'{text}' is neither a number nor a duration (e.g. 500ms)",
        };
        return false;
    }

    /// <summary>The text a scenario file takes for the value: whole milliseconds for a duration (<c>1250ms</c>).</summary>
    public static string ToScenarioText(double value, SweepValueKind kind) =>
        kind == SweepValueKind.Duration
            ? $"{Math.Round(value).ToString("0", CultureInfo.InvariantCulture)}ms"
            : value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>The value as a reader writes it: <c>450ms</c>, <c>1.5s</c>, <c>12</c>.</summary>
    public static string Format(double value, SweepValueKind kind)
    {
        if (kind == SweepValueKind.Number)
        {
            return value.ToString("0.##", CultureInfo.InvariantCulture);
        }
        var ms = Math.Round(value);
        return Math.Abs(ms) >= 1000
            ? (ms / 1000).ToString("0.###", CultureInfo.InvariantCulture) + "s"
            : ms.ToString("0", CultureInfo.InvariantCulture) + "ms";
    }
}
