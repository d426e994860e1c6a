using System.Text.Json.Nodes;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// How probes get a bearer token: one HTTP request (through the edge proxy) and the JSON field of the answer holding
/// the token. Nothing about any particular service is built in: the scenario says it.
/// </summary>
public sealed record TokenRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    JsonNode? Body,
    string TokenField,
    ProbeTarget Target);
