using System.Text.Json;
using System.Text.Json.Serialization;

namespace Replica.Environments.State;

/// <summary>
/// The state file's JSON metadata, generated at build time: every CLI command reads state.json, and building this
/// metadata by reflection cost each of them about 0.08 CPU-s, a fifth of a `replica logs` (bench/RESULTS.md).
/// Its options are the file's: web defaults (camelCase names), indented; enums are camelCase names by their own
/// attribute (<see cref="Json.CamelCaseEnumConverter{TEnum}"/>).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(EnvironmentState))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
