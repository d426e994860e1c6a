using System.Collections.Immutable;
using System.Text.Json;

namespace Replica.Proxy.Tcp.Toxics;

/// <summary>One attribute of a toxic type: its JSON name, default (a long for integers, a string for text) and allowed values.</summary>
internal sealed record ToxicAttributeSpec(string Name, object Default)
{
    /// <summary>Smallest accepted integer. Negative values crash or misbehave in the Go server, so 0 unless a toxic needs more.</summary>
    public long Minimum { get; init; }

    /// <summary>For text attributes: the accepted values, matched case-insensitively and stored as written here.</summary>
    public ImmutableArray<string> AllowedValues { get; init; } = [];

    public bool IsInteger => Default is long;

    /// <summary>Converts a value from JSON or C# to the stored form, or throws a 400 naming the attribute.</summary>
    public object Convert(string toxicType, object value)
    {
        if (IsInteger)
        {
            var integer = ToInteger(value)
                ?? throw ToxiproxyException.BadRequestBody($"attribute {Name} of {toxicType} must be an integer, got {Describe(value)}");
            if (integer < Minimum)
            {
                throw ToxiproxyException.BadRequest($"invalid attribute {Name} of {toxicType}: must be at least {Minimum}, got {integer}");
            }
            return integer;
        }
        var text = value switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
            _ => throw ToxiproxyException.BadRequestBody($"attribute {Name} of {toxicType} must be a string, got {Describe(value)}"),
        };
        foreach (var allowed in AllowedValues)
        {
            if (string.Equals(allowed, text, StringComparison.OrdinalIgnoreCase))
            {
                return allowed;
            }
        }
        throw ToxiproxyException.BadRequest(
            $"invalid attribute {Name} of {toxicType}: must be {string.Join(" or ", AllowedValues.Select(v => $"\"{v}\""))}, got \"{text}\"");
    }

    private static long? ToInteger(object value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        uint u => u,
        ulong u when u <= long.MaxValue => (long)u,
        double d => FromDouble(d),
        float f => FromDouble(f),
        decimal m when decimal.Truncate(m) == m && m >= long.MinValue && m <= long.MaxValue => (long)m,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.TryGetInt64(out var l) ? l : e.TryGetDouble(out var d) ? FromDouble(d) : null,
        _ => null,
    };

    // Integral floats such as 100.0 are accepted: the Go CLI parses attribute values as floats before sending them.
    private static long? FromDouble(double d) =>
        double.IsFinite(d) && Math.Truncate(d) == d && d >= long.MinValue && d <= long.MaxValue ? (long)d : null;

    private static string Describe(object value) => value switch
    {
        string s => $"string \"{s}\"",
        bool b => b ? "true" : "false",
        JsonElement e => e.ValueKind switch
        {
            JsonValueKind.String => $"string \"{e.GetString()}\"",
            JsonValueKind.Number => e.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => e.ValueKind.ToString().ToLowerInvariant(),
        },
        double or float or decimal => System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        _ => value.GetType().Name,
    };
}
