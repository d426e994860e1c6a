using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Replica.Staging.Backend.Database;

namespace Replica.Staging.Backend.Http;

/// <summary>
/// The serializer metadata for the threads and messages the HTTP API answers with, generated at compile time so
/// Native AOT keeps it. Names are snake_case, as the backend's HTTP JSON options made them (ThreadId goes out as
/// thread_id, CreatedAt as created_at).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ThreadRecord))]
[JsonSerializable(typeof(MessageRecord))]
[JsonSerializable(typeof(IReadOnlyList<ThreadRecord>))]
[JsonSerializable(typeof(IReadOnlyList<MessageRecord>))]
internal sealed partial class RecordJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The backend's HTTP JSON options exactly (Program.cs: ASP.NET Core's, with snake_case names), including the encoder
    /// that escapes only what JSON requires, so a title "é &lt;b&gt;" goes out as written.
    /// </summary>
    public static RecordJsonContext Http { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
