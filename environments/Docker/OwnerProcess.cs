using Replica.Environments.Processes;

namespace Replica.Environments.Docker;

/// <summary>
/// The owner of a resource as SweepTests still names it: a <see cref="ProcessIdentity"/> under its older name.
/// Everything else uses <see cref="ProcessIdentity"/>; delete this once SweepTests does too.
/// </summary>
public sealed record OwnerProcess(int Pid, long StartTime)
{
    public static OwnerProcess Current { get; } = From(ProcessIdentity.Current());

    /// <summary>The process that has <paramref name="pid"/> now, or null when there is none.</summary>
    public static OwnerProcess? Read(int pid) => ProcessIdentity.Of(pid) is { } identity ? From(identity) : null;

    public ProcessIdentity Identity => new(Pid, StartTime);

    /// <summary>As <see cref="ProcessIdentity.IsAlive"/>: a zombie counts as dead.</summary>
    public bool IsAlive => Identity.IsAlive;

    private static OwnerProcess From(ProcessIdentity identity) => new(identity.Pid, identity.StartTicks);
}
