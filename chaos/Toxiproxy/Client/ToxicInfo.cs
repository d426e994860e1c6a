using System.Text.Json;

namespace Replica.Chaos.Toxiproxy.Client;

/// <summary>A toxic as the API reports it; attributes stay JSON values since servers may know types this client does not.</summary>
public sealed record ToxicInfo(string Name, string Type, string Stream, float Toxicity, IReadOnlyList<KeyValuePair<string, JsonElement>> Attributes)
{
    /// <summary>"latency=100 jitter=10".</summary>
    public string DescribeAttributes() => string.Join(" ", Attributes.Select(a => $"{a.Key}={a.Value.GetRawText().Trim('"')}"));
}
