namespace Replica.Proxy.Tcp.Toxics;

/// <summary>A change to an existing toxic: only attributes (merged key by key) and toxicity can change; null keeps.</summary>
public sealed record ToxicUpdate
{
    public IReadOnlyDictionary<string, object?>? Attributes { get; init; }

    public float? Toxicity { get; init; }
}
