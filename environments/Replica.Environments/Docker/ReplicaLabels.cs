using System.Globalization;
using Replica.Environments.Processes;

namespace Replica.Environments.Docker;

/// <summary>
/// The labels every container, network and throwaway image Replica creates carries. They are the cleanup
/// contract: <see cref="DockerSweeper"/> removes whatever names an owner process that is gone.
/// </summary>
public static class ReplicaLabels
{
    public const string Environment = "io.replica.environment";
    public const string Run = "io.replica.run";
    public const string OwnerPid = "io.replica.owner-pid";
    public const string OwnerStart = "io.replica.owner-start";

    /// <summary>On containers: the compose service the container runs.</summary>
    public const string Service = "io.replica.service";

    /// <summary>On cached images: the hash of everything the image was built from (see <see cref="ImageBuilder"/>).</summary>
    public const string ContentHash = "io.replica.content-hash";

    /// <summary>
    /// On cached service images: the hash of the .NET sources they were published from (see
    /// <see cref="DotnetProjectSources"/>), checked before publishing.
    /// </summary>
    public const string SourceHash = "io.replica.source-hash";

    private static readonly ProcessIdentity CurrentOwner = ProcessIdentity.Current();

    /// <summary>Labels naming this process as the owner of a resource of environment <paramref name="environment"/>.</summary>
    public static IReadOnlyDictionary<string, string> ForOwner(string environment, string runId) =>
        ForOwner(environment, runId, CurrentOwner);

    public static IReadOnlyDictionary<string, string> ForOwner(string environment, string runId, ProcessIdentity owner) =>
        new Dictionary<string, string>
        {
            [Environment] = environment,
            [Run] = runId,
            [OwnerPid] = owner.Pid.ToString(CultureInfo.InvariantCulture),
            [OwnerStart] = owner.StartTicks.ToString(CultureInfo.InvariantCulture),
        };

    /// <summary>The owner named by a resource's labels, or null when they name none (or name it badly).</summary>
    public static ProcessIdentity? OwnerOf(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(OwnerPid, out var pidText)
        && labels.TryGetValue(OwnerStart, out var startText)
        && int.TryParse(pidText, CultureInfo.InvariantCulture, out var pid)
        && long.TryParse(startText, CultureInfo.InvariantCulture, out var start)
            ? new ProcessIdentity(pid, start)
            : null;
}
