using System.Text.Json;
using System.Text.Json.Serialization;
using Replica.Chaos.Verification;
using Replica.Cli.Commands;
using Replica.Cli.Environments;

namespace Replica.Cli.Json;

/// <summary>Every type a command prints with `--json`, its serializer generated at build time (<see cref="JsonOutput"/>).</summary>
[JsonSerializable(typeof(EnvironmentStatusReport))]
[JsonSerializable(typeof(RunResult))]
[JsonSerializable(typeof(ProbeReport))]
[JsonSerializable(typeof(LintFailure))]
[JsonSerializable(typeof(LintSuccess))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(List<JsonElement>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
