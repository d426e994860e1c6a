using System.Globalization;
using System.Text.Json;

namespace Replica.Proxy.Edge.Faults.Parsing;

/// <summary>
/// Reads fields of one JSON object, recording an error (with the field's full path) for each missing, mistyped or
/// out-of-range value, and for every field nobody asked for, so that a typo is reported instead of ignored.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _object;
    private readonly List<RuleError> _errors;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private JsonObjectReader(JsonElement obj, string path, List<RuleError> errors)
    {
        _object = obj;
        Path = path;
        _errors = errors;
    }

    public string Path { get; }

    /// <summary>The names of the fields read so far (whether present or not).</summary>
    public IReadOnlyCollection<string> ReadNames => _read;

    public static JsonObjectReader? Open(JsonElement element, string path, List<RuleError> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new RuleError(path, $"must be a JSON object, not {Describe(element)}"));
            return null;
        }
        return new JsonObjectReader(element, path, errors);
    }

    public string FieldPath(string name) => Path.Length == 0 ? name : name.Length == 0 ? Path : $"{Path}.{name}";

    public void Error(string name, string message) => _errors.Add(new RuleError(FieldPath(name), message));

    public bool Has(string name) => _object.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public IEnumerable<JsonProperty> Properties() => _object.EnumerateObject();

    public JsonElement? Raw(string name)
    {
        _read.Add(name);
        return _object.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
    }

    public string? String(string name, bool required = false)
    {
        if (Raw(name) is not { } v)
        {
            ReportMissing(name, required);
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            Error(name, $"must be a string, not {Describe(v)}");
            return null;
        }
        return v.GetString();
    }

    public bool? Bool(string name)
    {
        if (Raw(name) is not { } v)
        {
            return null;
        }
        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(name, $"must be true or false, not {Describe(v)}");
            return null;
        }
        return v.GetBoolean();
    }

    public double? Number(string name, double min = double.MinValue, double max = double.MaxValue, bool required = false)
    {
        if (Raw(name) is not { } v)
        {
            ReportMissing(name, required);
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || double.IsNaN(d) || double.IsInfinity(d))
        {
            Error(name, $"must be a number, not {Describe(v)}");
            return null;
        }
        if (d < min || d > max)
        {
            Error(name, max == double.MaxValue ? $"must be ≥ {Format(min)}" : $"must be between {Format(min)} and {Format(max)}");
            return null;
        }
        return d;
    }

    /// <summary>
    /// Reads a duration in milliseconds (a "…Ms" field): a number from 0 to <see cref="FaultLimits.MaxTime"/>,
    /// so that no value overflows a TimeSpan or a timer.
    /// </summary>
    public TimeSpan? Milliseconds(string name, bool required = false)
    {
        if (Raw(name) is not { } v)
        {
            ReportMissing(name, required);
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || double.IsNaN(d) || double.IsInfinity(d))
        {
            Error(name, $"must be a number of milliseconds, not {Describe(v)}");
            return null;
        }
        if (d < 0 || d > FaultLimits.MaxMs)
        {
            Error(name, FaultLimits.TimeRange);
            return null;
        }
        return TimeSpan.FromMilliseconds(d);
    }

    public int? Integer(string name, int min = int.MinValue, int max = int.MaxValue, bool required = false)
    {
        if (Raw(name) is not { } v)
        {
            ReportMissing(name, required);
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
        {
            Error(name, $"must be a whole number, not {Describe(v)}");
            return null;
        }
        if (i < min || i > max)
        {
            Error(name, max == int.MaxValue ? $"must be ≥ {min}" : $"must be between {min} and {max}");
            return null;
        }
        return i;
    }

    public JsonObjectReader? Object(string name, bool required = false)
    {
        if (Raw(name) is not { } v)
        {
            if (required)
            {
                Error(name, "is required");
            }
            return null;
        }
        return Open(v, FieldPath(name), _errors);
    }

    /// <summary>Reads a string that must be one of <paramref name="allowed"/> (case-insensitive).</summary>
    public string? Choice(string name, params string[] allowed)
    {
        var value = String(name);
        if (value is null)
        {
            return null;
        }
        var match = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Error(name, $"must be one of {string.Join(", ", allowed.Select(a => $"'{a}'"))}, not '{value}'");
        }
        return match;
    }

    /// <summary>Reports every field that was not read (call after reading all known fields).</summary>
    public void RejectUnknown(string expected)
    {
        foreach (var property in _object.EnumerateObject())
        {
            if (!_read.Contains(property.Name))
            {
                Error(property.Name, $"unknown field; expected {expected}");
            }
        }
    }

    internal static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{v.GetString()}\"",
        JsonValueKind.Number => $"the number {v.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        _ => "null",
    };

    private void ReportMissing(string name, bool required)
    {
        if (required)
        {
            Error(name, "is required");
        }
    }

    private static string Format(double d) => d.ToString(CultureInfo.InvariantCulture);
}
