using System.Text.Json;
using Replica.Proxy.Tcp.Configuration;

namespace Replica.Proxy.Tcp.Toxics;

/// <summary>
/// A toxic as a caller asks for it, before validation: the body of <c>POST /proxies/{proxy}/toxics</c>, an entry of a
/// proxy's <c>toxics</c> in populate or the config file, or a value built in C#.
/// </summary>
/// <param name="Type">latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, noop or startup_delay.</param>
public sealed record ToxicSpec(string Type)
{
    /// <summary>Unique within the proxy; default <c>&lt;type&gt;_&lt;stream&gt;</c>.</summary>
    public string? Name { get; init; }

    /// <summary>"upstream" or "downstream" in any case, echoed as written; default "downstream".</summary>
    public string? Stream { get; init; }

    /// <summary>Probability that the toxic applies to a connection, drawn per connection; default 1.</summary>
    public float? Toxicity { get; init; }

    /// <summary>Attribute values (integers or strings); names match case-insensitively; missing ones default to 0.</summary>
    public IReadOnlyDictionary<string, object?>? Attributes { get; init; }

    /// <summary>
    /// Reads a toxic the way the API reads a request body (field names in any case, numbers as JSON numbers or
    /// strings). Not validated: <see cref="Toxic.Validate"/> says whether the type and attributes are usable.
    /// </summary>
    /// <exception cref="ToxiproxyException">the JSON is not a toxic (400, naming the field)</exception>
    public static ToxicSpec FromJson(JsonElement element) => DefinitionReader.Toxic(element);
}
