using System.CommandLine;
using Replica.Environments.Docker;
using Replica.Environments.Errors;
using Replica.Environments.Runtimes.Docker;

namespace Replica.Cli.Environments;

/// <summary>
/// `--runtime process|docker` and `--images official|offline`, for the commands that bring an environment up.
/// Values are checked here rather than by the parser, so a wrong one is bad input (exit 2) with the choices named.
/// </summary>
internal sealed class RuntimeOptions
{
    public const string PolicyVariable = "REPLICA_IMAGE_POLICY";
    public const string BaseImageVariable = "REPLICA_BASE_IMAGE";

    public Option<string> Runtime { get; } = new("--runtime")
    {
        Description = "Where the services run: process (local processes; the default) or docker (containers)",
        DefaultValueFactory = _ => RuntimeSelection.Process,
    };

    public Option<string?> Images { get; } = new("--images")
    {
        Description = $"With --runtime docker: official (pulled from a registry; the default, or ${PolicyVariable}) or offline "
                      + $"(built on a local base image, ${BaseImageVariable}, default {ImageSettings.DefaultBaseImage})",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Runtime);
        command.Options.Add(Images);
    }

    public RuntimeSelection Read(ParseResult parse)
    {
        var runtime = parse.GetValue(Runtime) ?? RuntimeSelection.Process;
        if (runtime is not (RuntimeSelection.Process or DockerRuntime.RuntimeName))
        {
            throw new ReplicaException($"--runtime: unknown runtime '{runtime}'; expected process or docker", kind: ReplicaErrorKind.BadInput);
        }
        var (text, source) = parse.GetValue(Images) is { } option
            ? (option, "--images")
            : (System.Environment.GetEnvironmentVariable(PolicyVariable) is { Length: > 0 } variable ? variable : "official", PolicyVariable);
        var policy = text.Trim().ToLowerInvariant() switch
        {
            "official" => ImagePolicy.Official,
            "offline" => ImagePolicy.Offline,
            _ => throw new ReplicaException($"{source}: unknown image policy '{text}'; expected official or offline", kind: ReplicaErrorKind.BadInput),
        };
        var baseImage = System.Environment.GetEnvironmentVariable(BaseImageVariable) is { Length: > 0 } image ? image : ImageSettings.DefaultBaseImage;
        return new RuntimeSelection(runtime, policy, baseImage);
    }
}
