using System.Text.Json;
using System.Text.Json.Serialization;
using Replica.Staging.Backend.Database;
using Replica.Staging.Common;

namespace Replica.Staging.Backend.Http;

/// <summary>
/// The serializer metadata for the threads and messages the HTTP API answers with, generated at compile time so
/// Native AOT keeps it. Names are snake_case, as the backend always wrote them (ThreadId goes out as thread_id,
/// CreatedAt as created_at); no other JSON of the backend goes through ASP.NET Core's own JSON options.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ThreadRecord))]
[JsonSerializable(typeof(MessageRecord))]
[JsonSerializable(typeof(IReadOnlyList<ThreadRecord>))]
[JsonSerializable(typeof(IReadOnlyList<MessageRecord>))]
internal sealed partial class RecordJsonContext : JsonSerializerContext
{
    /// <summary>The HTTP bodies' options (<see cref="StagingJsonContext.NewHttpOptions"/>) with snake_case names.</summary>
    public static RecordJsonContext Http { get; } = new(SnakeCase(StagingJsonContext.NewHttpOptions()));

    private static JsonSerializerOptions SnakeCase(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        return options;
    }
}
