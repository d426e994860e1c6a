using System.Text.Json.Nodes;
using Replica.Environments.Compose;

namespace Replica.Chaos.Scenarios;

/// <summary>One HTTP request; expects a status and, optionally, JSON fields (dotted paths) with given values.</summary>
public sealed record HttpProbeDefinition(
    string Name,
    ProbeTarget Target,
    SourceLocation Location,
    string Method,
    string Path,
    JsonNode? Body,
    TokenMode Token,
    int ExpectStatus,
    IReadOnlyDictionary<string, JsonNode?> ExpectJson,
    TimeSpan Timeout)
    : ProbeDefinition(Name, Target, Location);
