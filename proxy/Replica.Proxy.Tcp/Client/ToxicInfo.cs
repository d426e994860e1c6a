using System.Text.Json;

namespace Replica.Proxy.Tcp.Client;

/// <summary>A toxic as the API reports it; attributes stay JSON values since servers may know types this client does not.</summary>
public sealed record ToxicInfo(string Name, string Type, string Stream, float Toxicity, IReadOnlyList<KeyValuePair<string, JsonElement>> Attributes)
{
    /// <summary>An integer attribute by name (<c>GetInteger("latency")</c>), as the toxic's type defines it.</summary>
    /// <exception cref="KeyNotFoundException">the toxic has no attribute of that name (its type names them all)</exception>
    public long GetInteger(string name)
    {
        foreach (var (key, value) in Attributes)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && value.ValueKind == JsonValueKind.Number)
            {
                return value.GetInt64();
            }
        }
        throw new KeyNotFoundException($"toxic {Name} ({Type}) has no integer attribute {name}; it has: {DescribeAttributes()}");
    }

    /// <summary>"latency=100 jitter=10".</summary>
    public string DescribeAttributes() => string.Join(" ", Attributes.Select(a => $"{a.Key}={a.Value.GetRawText().Trim('"')}"));
}
