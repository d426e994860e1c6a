using Replica.Environments.Errors;

namespace Replica.Chaos.Sweeps;

/// <summary>
/// The values a sweep tries for one path: a grid <c>0ms..2s/100ms</c>, a list <c>1s,5s,30s,60s</c>, or
/// <c>auto:0ms..2s</c> — a coarse grid between the two ends that the adaptive search then refines where the failure
/// rate changes. Durations are held in milliseconds.
/// </summary>
public sealed record SweepRange(string Text, SweepValueKind Kind, IReadOnlyList<double> Values, bool Adaptive)
{
    /// <summary>The most values a grid or list may give (a typo such as <c>/1ms</c> would otherwise mean hours of runs).</summary>
    public const int MaxValues = 200;

    /// <summary>How many values an <c>auto</c> range starts with, ends included.</summary>
    public const int CoarsePoints = 5;

    public double Low => Values[0];

    public double High => Values[^1];

    /// <summary>
    /// Reads <paramref name="text"/> for a path holding <paramref name="kind"/> (null: unknown, taken from the text).
    /// Throws a bad-input error starting with <paramref name="where"/> (the flag, or file:line) on anything else.
    /// </summary>
    public static SweepRange Parse(string text, SweepValueKind? kind, string where)
    {
        var trimmed = text.Trim();
        var adaptive = trimmed.StartsWith("auto:", StringComparison.Ordinal);
        var body = adaptive ? trimmed["auto:".Length..] : trimmed;
        if (trimmed == "auto")
        {
            throw Bad(where, text, "auto needs its two ends, e.g. auto:0ms..2s");
        }
        if (body.Contains(".."))
        {
            var slash = body.IndexOf('/');
            var span = slash >= 0 ? body[..slash] : body;
            var ends = span.Split("..");
            if (ends.Length != 2)
            {
                throw Bad(where, text, "expected LOW..HIGH/STEP, auto:LOW..HIGH or a list A,B,C");
            }
            var low = Value(ends[0], ref kind, where, text);
            var high = Value(ends[1], ref kind, where, text);
            if (high <= low)
            {
                throw Bad(where, text, $"the range must go up: {ends[1].Trim()} is not above {ends[0].Trim()}");
            }
            if (adaptive)
            {
                if (slash >= 0)
                {
                    throw Bad(where, text, "auto picks its own points: drop the step, or drop auto: for a fixed grid");
                }
                var coarse = Enumerable.Range(0, CoarsePoints).Select(i => Snap(low + (high - low) * i / (CoarsePoints - 1), kind ?? SweepValueKind.Number)).Distinct().ToList();
                return new SweepRange(trimmed, kind ?? SweepValueKind.Number, coarse, Adaptive: true);
            }
            if (slash < 0)
            {
                throw Bad(where, text, $"give a step ({span}/STEP) or let the sweep choose (auto:{span})");
            }
            var step = Value(body[(slash + 1)..], ref kind, where, text);
            if (step <= 0)
            {
                throw Bad(where, text, "the step must be more than 0");
            }
            var count = (int)Math.Floor((high - low) / step + 1e-9) + 1;
            if (count > MaxValues)
            {
                throw Bad(where, text, $"{count} values; at most {MaxValues} (a larger step, or auto:)");
            }
            var grid = Enumerable.Range(0, count).Select(i => low + i * step).ToList();
            return new SweepRange(trimmed, kind ?? SweepValueKind.Number, grid, Adaptive: false);
        }
        if (adaptive)
        {
            throw Bad(where, text, "auto needs its two ends, e.g. auto:0ms..2s");
        }
        var items = body.Split(',', StringSplitOptions.TrimEntries);
        if (items.Any(i => i.Length == 0))
        {
            throw Bad(where, text, "an empty value in the list");
        }
        if (items.Length > MaxValues)
        {
            throw Bad(where, text, $"{items.Length} values; at most {MaxValues}");
        }
        var values = new List<double>();
        foreach (var item in items)
        {
            values.Add(Value(item, ref kind, where, text));
        }
        return new SweepRange(trimmed, kind ?? SweepValueKind.Number, values.Distinct().Order().ToList(), Adaptive: false);
    }

    /// <summary>A value as the path can hold it: whole milliseconds for a duration.</summary>
    public static double Snap(double value, SweepValueKind kind) => kind == SweepValueKind.Duration ? Math.Round(value) : value;

    private static double Value(string item, ref SweepValueKind? kind, string where, string text)
    {
        if (!SweepValues.TryParse(item, kind, out var value, out var parsed, out var error))
        {
            throw Bad(where, text, error!);
        }
        if (value < 0)
        {
            throw Bad(where, text, $"'{item.Trim()}' is below 0");
        }
        // A bare 0 says nothing about the kind; the first value with a unit (or a number that is not 0) does.
        if (kind is null && (value != 0 || parsed == SweepValueKind.Duration))
        {
            kind = parsed;
        }
        return value;
    }

    private static ReplicaException Bad(string where, string text, string message) =>
        new($"{where}: bad range '{text}': {message}", kind: ReplicaErrorKind.BadInput,
            hint: "a range is LOW..HIGH/STEP (0ms..2s/100ms), a list (1s,5s,30s) or auto:LOW..HIGH");
}
