using Replica.Environments.Processes;

namespace Replica.Environments.Runtimes.Process;

/// <param name="WorkDirectory">Where each service gets its data directory; the environment creates and removes it.</param>
/// <param name="CacheDirectory">Kept across environments: the PostgreSQL template.</param>
/// <param name="ProcessStarted">Called with each service process as soon as it exists, so it can be recorded for reaping.</param>
/// <param name="Progress">Short messages for slow one-off steps (building a project, creating the template).</param>
/// <param name="DotnetAssembliesOnly">
/// True: run each .NET service's assembly with `dotnet` even where its native executable is current
/// (<see cref="DotnetProjectOutput"/>); null: as <see cref="DotnetProjectOutput.AssembliesOnlyVariable"/> says.
/// </param>
public sealed record ProcessRuntimeOptions(
    string WorkDirectory,
    string CacheDirectory,
    Action<string, ProcessIdentity>? ProcessStarted = null,
    Action<string>? Progress = null,
    bool? DotnetAssembliesOnly = null)
{
    public static string DefaultCacheDirectory =>
        System.Environment.GetEnvironmentVariable("REPLICA_CACHE_DIR") is { Length: > 0 } dir ? dir
        : UnixSignal.IsRoot ? "/var/cache/replica"
        : Path.Combine(System.Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".cache"), "replica");
}
