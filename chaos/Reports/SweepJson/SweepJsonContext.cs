using System.Text.Json;
using System.Text.Json.Serialization;

namespace Replica.Chaos.Reports.SweepJson;

/// <summary>
/// The sweep JSON's metadata, generated at build time so the natively compiled `replica` can write it (reflection-based
/// serialization is trimmed away). Its options are the verify report's (<see cref="VerificationReportJsonContext"/>:
/// web defaults, indented, enums as camelCase names by their own attribute) with NaN and ∞ written as names. The
/// attribute cannot give an encoder: <see cref="Readable"/> adds the report's.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(SweepJsonReport))]
internal sealed partial class SweepJsonContext : JsonSerializerContext
{
    /// <summary>The context a sweep is written with: the verify report's options (its encoder too), NaN and ∞ as names.</summary>
    public static SweepJsonContext Readable { get; } = new(new JsonSerializerOptions(VerificationReportJson.Options)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    });
}
