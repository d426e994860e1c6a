using Replica.Environments.Processes;
using Replica.Environments.State;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

/// <summary>The reaper's kill acts on the recorded process group only, never on a newcomer that got its pid.</summary>
public sealed class OrphanReaperTests
{
    [Fact]
    public async Task Kill_leaves_a_group_alone_whose_leader_has_a_recorded_pid_but_a_later_start_time()
    {
        using var scratch = new ScratchDirectory();
        using var leader = ProcessGroupLauncher.Start(["sh", "-c", "sleep 60 & wait"], new Dictionary<string, string>(), scratch.Path, Path.Combine(scratch.Path, "log"));
        var live = ProcessIdentity.Of(leader.Id)!;
        try
        {
            await Eventually.WaitAsync(() => live.RemainingGroupMembers().Count == 2, TimeSpan.FromSeconds(10), "the group's leader and its child");
            var members = live.RemainingGroupMembers();

            // Constructed state: a recorded process that started before the live leader and had its pid, i.e. the
            // record of a long-gone process whose pid the kernel has since handed to a new group leader.
            var recorded = live with { StartTicks = live.StartTicks - 1 };
            OrphanReaper.Kill(recorded);

            // A SIGKILL takes effect asynchronously; a SIGSTOP sent after it is ignored by a dying process. So once
            // every member is either stopped or dead, any SIGKILL sent above has shown.
            UnixSignal.SendToGroup(live.Pid, UnixSignal.SIGSTOP);
            await Eventually.WaitAsync(
                () => members.All(m => ProcessIdentity.StateOf(m.Pid) is 'T' or 'Z' or 'X' or null),
                TimeSpan.FromSeconds(10), "the group to stop (or die)");
            Assert.All(members, m => Assert.True(ProcessIdentity.StateOf(m.Pid) == 'T', $"pid {m.Pid} of the newcomer's group was killed"));
        }
        finally
        {
            OrphanReaper.Kill(live);
        }
    }

    [Fact]
    public async Task Kill_reaches_a_member_that_outlived_its_dead_leader()
    {
        using var scratch = new ScratchDirectory();
        using var leader = ProcessGroupLauncher.Start(["sh", "-c", "sleep 60 & wait"], new Dictionary<string, string>(), scratch.Path, Path.Combine(scratch.Path, "log"));
        var recorded = ProcessIdentity.Of(leader.Id)!;
        await Eventually.WaitAsync(() => recorded.RemainingGroupMembers().Count == 2, TimeSpan.FromSeconds(10), "the group's leader and its child");
        var child = recorded.RemainingGroupMembers().Single(m => m.Pid != leader.Id);

        UnixSignal.Send(leader.Id, UnixSignal.SIGKILL);
        await leader.WaitForExitAsync();
        OrphanReaper.Kill(recorded);

        await Eventually.WaitAsync(() => !child.IsAlive, TimeSpan.FromSeconds(10), $"the leftover child {child.Pid} to die");
    }
}
