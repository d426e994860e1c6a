using System.Diagnostics;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

/// <summary>Where environments' work directories go (REPLICA_WORK_DIR, else a roomy /dev/shm, else the temp directory).</summary>
public sealed class EnvironmentWorkRootTests
{
    [Fact]
    public void A_configured_folder_is_used_and_each_work_directory_in_it_is_new_and_enterable_by_other_accounts()
    {
        using var dir = new ScratchDirectory();

        Assert.Equal(dir.Path, EnvironmentWorkRoot.Resolve(dir.Path));
        var first = EnvironmentWorkRoot.CreateDirectory(dir.Path, "replica-unit-");
        var second = EnvironmentWorkRoot.CreateDirectory(dir.Path, "replica-unit-");

        Assert.NotEqual(first, second);
        foreach (var work in new[] { first, second })
        {
            Assert.Equal(dir.Path, Path.GetDirectoryName(work));
            Assert.StartsWith("replica-unit-", Path.GetFileName(work));
            Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(work));
        }
    }

    [Theory]
    [InlineData("relative/work", "REPLICA_WORK_DIR: 'relative/work' is not an absolute path")]
    [InlineData("/nonexistent/replica-work", "REPLICA_WORK_DIR: '/nonexistent/replica-work' does not exist")]
    public void A_folder_that_is_not_there_or_not_absolute_is_bad_input_naming_the_variable(string configured, string message)
    {
        var error = Assert.Throws<ReplicaException>(() => EnvironmentWorkRoot.Resolve(configured));

        Assert.Equal(ReplicaErrorKind.BadInput, error.Kind);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void A_file_named_as_the_folder_is_bad_input_saying_it_is_a_file()
    {
        using var dir = new ScratchDirectory();
        var file = dir.Write("work", "");

        var error = Assert.Throws<ReplicaException>(() => EnvironmentWorkRoot.Resolve(file));

        Assert.Equal(ReplicaErrorKind.BadInput, error.Kind);
        Assert.StartsWith($"REPLICA_WORK_DIR: '{file}' is a file; expected the folder", error.Message);
    }

    [Fact]
    public void A_folder_it_cannot_create_in_is_an_error_naming_the_folder_and_the_variable()
    {
        using var dir = new ScratchDirectory();
        var gone = Path.Combine(dir.Path, "gone");

        var error = Assert.Throws<ReplicaException>(() => EnvironmentWorkRoot.CreateDirectory(gone, "replica-unit-"));

        Assert.Contains($"cannot create a work directory in {gone}", error.Message);
        Assert.Contains("REPLICA_WORK_DIR", error.Hint);
    }

    [Fact]
    public void Unset_it_is_dev_shm_where_that_is_a_tmpfs_with_a_gibibyte_free_else_the_temp_directory()
    {
        // What coreutils says about /dev/shm decides what to expect (not the code under test).
        var type = Run("stat", "-f", "-c", "%T", "/dev/shm");
        var freeKiB = long.TryParse(Run("df", "-k", "--output=avail", "/dev/shm").Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(), out var k) ? k : 0;
        var expected = type == "tmpfs" && freeKiB * 1024 >= EnvironmentWorkRoot.MinimumRamFree ? "/dev/shm" : Path.GetTempPath();

        Assert.Equal(expected, EnvironmentWorkRoot.Resolve(""));
    }

    [Fact]
    public void A_folder_on_a_disk_is_not_taken_for_a_ram_disk_and_the_temp_directory_is_used()
    {
        // The scratch folder is on the temp directory's file system; unless that is a tmpfs too, it is passed over.
        using var dir = new ScratchDirectory();
        var onTmpfs = Run("stat", "-f", "-c", "%T", dir.Path) == "tmpfs";

        Assert.Equal(onTmpfs ? dir.Path : Path.GetTempPath(), EnvironmentWorkRoot.Resolve("", dir.Path));
        Assert.Equal(Path.GetTempPath(), EnvironmentWorkRoot.Resolve("", Path.Combine(dir.Path, "missing")));
    }

    private static string Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }
}
