using System.Text.Json;
using System.Text.Json.Serialization;
using Replica.Proxy.Edge;

namespace Replica.Cli.Control;

/// <summary>
/// The control API's JSON, generated at build time so a natively compiled `replica` has it (reflection-based
/// serialization is trimmed away): every value that crosses the API — the state, the answer to each change, an error,
/// an item of the live feed, the body `replica set` posts — is one of these types. The options are the ones the API
/// has always had: web defaults (camelCase names), nulls left out, and the default encoder, which escapes exactly as
/// <see cref="System.Text.Encodings.Web.JavaScriptEncoder.Default"/> does (markup, quotes and non-ASCII as \uXXXX; the
/// page escapes what it shows, the JSON itself is plain). Enums would be camelCase strings: none crosses the API (an
/// error's kind is its name as written, which the CLI parses back); one that does needs
/// <see cref="Replica.Environments.Json.CamelCaseEnumConverter{TEnum}"/>, on the enum or on the property.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StateSnapshot))]
[JsonSerializable(typeof(ControlError))]
[JsonSerializable(typeof(LiveFeedItem))]
[JsonSerializable(typeof(EnvironmentEventView))]
[JsonSerializable(typeof(EdgeTap.Entry), TypeInfoPropertyName = "EdgeTapEntry")]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(ServiceVerbResult))]
[JsonSerializable(typeof(SettingsResult))]
[JsonSerializable(typeof(ToxicAddedResult))]
[JsonSerializable(typeof(ToxicRemovedResult))]
[JsonSerializable(typeof(ProxyToggledResult))]
[JsonSerializable(typeof(RulesAddedResult))]
[JsonSerializable(typeof(RuleRemovedResult))]
[JsonSerializable(typeof(SettingsRequest))]
// A toxic's attribute values are objects: a long for an integer attribute, a string for a text one.
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(string))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
