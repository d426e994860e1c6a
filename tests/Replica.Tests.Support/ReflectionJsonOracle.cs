using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Replica.Tests.Support;

/// <summary>
/// The oracle for Replica's generated JSON: the reflection-based serializer as Replica used it before its JSON was
/// generated at build time (for the natively compiled `replica`): web defaults (camelCase names), enums as camelCase
/// names through the non-generic converter, and the resolver an options instance without one gets, said here so the
/// oracle stays reflection-based. Each test adds the settings its output had (indentation, encoder, nulls, NaN).
/// </summary>
public static class ReflectionJsonOracle
{
    public static JsonSerializerOptions Options(bool indented, JavaScriptEncoder? encoder = null) => new(JsonSerializerDefaults.Web)
    {
        WriteIndented = indented,
        Encoder = encoder,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };
}
