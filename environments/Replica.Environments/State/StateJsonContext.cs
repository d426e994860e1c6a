using System.Text.Json.Serialization;

namespace Replica.Environments.State;

/// <summary>
/// The state file's JSON metadata, generated at build time: every CLI command reads state.json, and building this
/// metadata by reflection cost each of them about 0.08 CPU-s, a fifth of a `replica logs` (bench/RESULTS.md).
/// <see cref="StateStore.Json"/> keeps the options (web defaults, camelCase enums, indented), so the file is written
/// exactly as before.
/// </summary>
[JsonSerializable(typeof(EnvironmentState))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
