using Replica.Environments.Errors;
using Replica.Environments.Processes;

namespace Replica.Environments.Tests;

/// <summary>The short commands Replica runs (initdb, dotnet publish, cp): their failures reach the user as one clear message.</summary>
public sealed class ExternalCommandTests
{
    [Fact]
    public async Task A_program_that_is_not_installed_is_a_missing_prerequisite_naming_it()
    {
        var e = await Assert.ThrowsAsync<ReplicaException>(() => ExternalCommand.RunAsync(["replica-no-such-program", "--version"]));

        Assert.Equal(ReplicaErrorKind.MissingPrerequisite, e.Kind);
        Assert.Contains("cannot run replica-no-such-program", e.Message);
        Assert.Contains("install replica-no-such-program or put it on PATH", e.Hint);
    }

    [Fact]
    public async Task A_failing_command_quotes_its_exit_code_and_last_lines()
    {
        var e = await Assert.ThrowsAsync<ReplicaException>(() => ExternalCommand.RunAsync(["sh", "-c", "echo first; echo last >&2; exit 3"]));

        Assert.Equal(ReplicaErrorKind.Failure, e.Kind);
        Assert.Contains("failed with exit code 3", e.Message);
        Assert.Contains("first", e.Message);
        Assert.Contains("last", e.Message);
    }
}
