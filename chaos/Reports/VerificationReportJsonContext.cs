using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Replica.Chaos.Verification;

namespace Replica.Chaos.Reports;

/// <summary>
/// The verify report's JSON metadata, generated at build time so the natively compiled `replica` writes and reads it
/// (reflection-based serialization is trimmed away). Its options: web defaults (camelCase names, names read in any
/// case, numbers also read from strings), indented; enums are camelCase names by their own attribute
/// (<see cref="Replica.Environments.Json.CamelCaseEnumConverter{TEnum}"/>). The attribute cannot give an encoder:
/// <see cref="Readable"/> adds it.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(VerificationReport))]
internal sealed partial class VerificationReportJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the report is written and read with: the attribute's options and an encoder that escapes only what
    /// JSON requires, so "é", "≤", "&lt;" and "&amp;" go out as themselves.
    /// </summary>
    public static VerificationReportJsonContext Readable { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
