using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Replica.Staging.Common;

/// <summary>
/// The serializer metadata for every body the services write as a JsonObject and for the status pages' dictionary,
/// generated at compile time so Native AOT keeps it (reflection-based serialization is trimmed away). No naming
/// policy applies: a JsonObject's keys and a dictionary's keys go out as written. Linked into auth and backend.
/// </summary>
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class StagingJsonContext : JsonSerializerContext
{
    /// <summary>
    /// For HTTP bodies: the options ASP.NET Core's own JSON results use (web defaults, and an encoder that escapes only
    /// what JSON requires, so "é" and "&lt;" go out as themselves). <see cref="JsonSerializerContext.Default"/> escapes
    /// them (\u00E9, \u003C), as the WebSocket frames always have.
    /// </summary>
    public static StagingJsonContext Http { get; } = new(NewHttpOptions());

    /// <summary>A fresh copy of the HTTP bodies' options, for a context of its own (one context binds its options).</summary>
    public static JsonSerializerOptions NewHttpOptions() =>
        new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
