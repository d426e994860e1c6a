using System.Text.Json;
using System.Text.Json.Serialization;

namespace Replica.Environments.Json;

/// <summary>
/// An enum in Replica's JSON (state files, reports, `--json` output, the control API) is its member's name in
/// camelCase: <c>"running"</c>, <c>"symptom"</c>. Put on the enum itself, so every generated serializer context writes
/// and reads it the same way. The non-generic <see cref="JsonStringEnumConverter"/> would build its converter at run
/// time, which a natively compiled `replica` cannot.
/// </summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase)
    where TEnum : struct, Enum;
