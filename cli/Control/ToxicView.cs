using Replica.Proxy.Tcp.Toxics;

namespace Replica.Cli.Control;

/// <summary>
/// A toxic as the state and the answer to adding one show it. The stream is as the client wrote it; each attribute's
/// value is a long (an integer attribute) or a string (a text one).
/// </summary>
internal sealed record ToxicView(string Name, string Type, string Stream, float Toxicity, IReadOnlyDictionary<string, object> Attributes)
{
    public static ToxicView Of(Toxic toxic) =>
        new(toxic.Name, toxic.Type, toxic.Stream, toxic.Toxicity, toxic.Attributes.ToDictionary(a => a.Key, a => a.Value));
}
