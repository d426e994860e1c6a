namespace Replica.Environments.Docker;

/// <summary>The engine's list filter for labels, as Docker.DotNet takes it: every label must be present (value null: any value).</summary>
public static class LabelFilter
{
    public static IDictionary<string, IDictionary<string, bool>> Of(IReadOnlyDictionary<string, string?> labels) =>
        new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = labels.ToDictionary(l => l.Value is null ? l.Key : $"{l.Key}={l.Value}", _ => true),
        };

    public static IDictionary<string, IDictionary<string, bool>> Of(string key, string? value = null) =>
        Of(new Dictionary<string, string?> { [key] = value });
}
