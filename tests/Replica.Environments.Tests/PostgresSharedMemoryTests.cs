using Replica.Environments.Runtimes.Process;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

/// <summary>
/// Reading postmaster.pid's record of the System V segment. The segments themselves, made by a real PostgreSQL, are
/// in <see cref="ProcessEnvironmentTests.A_killed_postgres_leaves_no_shared_memory_behind"/>.
/// </summary>
public sealed class PostgresSharedMemoryTests
{
    private static string PidFile(string segmentLine) => string.Join('\n',
        "4242", "/tmp/data", "1796547111", "5432", "", "127.0.0.1", segmentLine, "ready   ", "");

    [Fact]
    public void The_key_and_id_are_read_from_the_seventh_line_with_the_postmasters_pid()
    {
        using var dir = new ScratchDirectory();
        dir.Write("postmaster.pid", PidFile("  11657426     491520"));

        Assert.Equal((11657426, 491520, 4242), PostgresSharedMemory.RecordedSegment(dir.Path));
    }

    [Fact]
    public void A_key_past_two_to_the_31_is_compared_as_the_kernel_shows_it()
    {
        // PostgreSQL prints the 32-bit key as an unsigned long: a negative key_t sign-extends to 64 bits, while
        // /proc/sysvipc/shm prints it signed.
        using var dir = new ScratchDirectory();
        dir.Write("postmaster.pid", PidFile("18446744071562067969     32774"));

        Assert.Equal((int.MinValue + 1, 32774, 4242), PostgresSharedMemory.RecordedSegment(dir.Path));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a segment")]
    public void No_file_or_no_segment_line_records_nothing(string? segmentLine)
    {
        using var dir = new ScratchDirectory();
        if (segmentLine is not null)
        {
            dir.Write("postmaster.pid", segmentLine.Length == 0 ? "4242\n/tmp/data\n" : PidFile(segmentLine));
        }

        Assert.Null(PostgresSharedMemory.RecordedSegment(dir.Path));
        PostgresSharedMemory.RemoveLeftovers(dir.Path);
    }
}
