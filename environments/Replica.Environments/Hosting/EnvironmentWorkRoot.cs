using System.Runtime.InteropServices;
using Replica.Environments.Errors;

namespace Replica.Environments.Hosting;

/// <summary>
/// Where an environment's work directory (each service's data, PostgreSQL's copied template among them) is made:
/// REPLICA_WORK_DIR when set; else /dev/shm when it is a RAM-backed tmpfs with room (what `--tmpfs` on a database
/// container gives a Testcontainers or compose user: a throwaway environment's data never needs a disk, and creating its
/// ≈ 1,300 files there costs a tenth of the CPU a disk file system does); else the temp directory.
/// </summary>
public static partial class EnvironmentWorkRoot
{
    public const string Variable = "REPLICA_WORK_DIR";

    /// <summary>Below this much free space, /dev/shm is passed over (a container's default is 64 MiB).</summary>
    public const long MinimumRamFree = 1L << 30;

    private const string RamDirectory = "/dev/shm";

    /// <summary>
    /// The folder work directories are made in, as <see cref="Variable"/> and this machine say. <paramref name="configured"/>
    /// is the variable's value, read from the environment when null; empty is unset.
    /// </summary>
    public static string Resolve(string? configured = null) => Resolve(configured, RamDirectory);

    /// <summary>As <see cref="Resolve(string?)"/>, looking for the RAM disk at <paramref name="ramDirectory"/> instead of /dev/shm.</summary>
    public static string Resolve(string? configured, string ramDirectory)
    {
        configured ??= Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!Path.IsPathFullyQualified(configured))
            {
                throw new ReplicaException($"{Variable}: '{configured}' is not an absolute path; expected the folder environments' work directories go in",
                    kind: ReplicaErrorKind.BadInput);
            }
            if (File.Exists(configured))
            {
                throw new ReplicaException($"{Variable}: '{configured}' is a file; expected the folder environments' work directories go in",
                    kind: ReplicaErrorKind.BadInput);
            }
            if (!Directory.Exists(configured))
            {
                throw new ReplicaException($"{Variable}: '{configured}' does not exist; expected the folder environments' work directories go in",
                    hint: $"create it, or unset {Variable} to use {RamDirectory} or the temp directory", kind: ReplicaErrorKind.BadInput);
            }
            return configured;
        }
        return IsRoomyRamDisk(ramDirectory) ? ramDirectory : Path.GetTempPath();
    }

    /// <summary>
    /// A new directory named <paramref name="prefix"/> plus six random characters in <paramref name="root"/>, made
    /// atomically (mkdtemp), readable and enterable by other accounts (PostgreSQL may run as 'postgres').
    /// </summary>
    public static string CreateDirectory(string root, string prefix)
    {
        var template = System.Text.Encoding.UTF8.GetBytes(Path.Combine(root, prefix + "XXXXXX") + "\0");
        if (MakeTemporaryDirectory(template) == IntPtr.Zero)
        {
            var error = Marshal.GetLastPInvokeErrorMessage();
            throw new ReplicaException($"cannot create a work directory in {root}: {error}",
                hint: $"{Variable} chooses another folder");
        }
        var path = System.Text.Encoding.UTF8.GetString(template, 0, template.Length - 1);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    private static bool IsRoomyRamDisk(string path)
    {
        try
        {
            var drive = new DriveInfo(path);
            return drive.IsReady && drive.DriveFormat == "tmpfs" && drive.AvailableFreeSpace >= MinimumRamFree
                && Directory.Exists(path) && Access(path, W_OK | X_OK) == 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    private const int W_OK = 2;
    private const int X_OK = 1;

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    [LibraryImport("libc", EntryPoint = "mkdtemp", SetLastError = true)]
    private static partial IntPtr MakeTemporaryDirectory(byte[] template);
}
