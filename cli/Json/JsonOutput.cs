using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Replica.Cli.Json;

/// <summary>
/// What `--json` prints: web defaults (camelCase names), indented, non-ASCII text as it is, enums as camelCase names.
/// Every type printed is in <see cref="CliJsonContext"/>, so a natively compiled `replica` serializes without
/// reflection.
/// </summary>
internal static class JsonOutput
{
    /// <summary>The printed types, with the printing options.</summary>
    public static CliJsonContext Types { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static void Write<T>(T value, JsonTypeInfo<T> type) => Console.Out.WriteLine(JsonSerializer.Serialize(value, type));
}
