using System.Security.Cryptography;
using System.Text;
using Replica.Environments.Errors;

namespace Replica.Environments.Docker;

/// <summary>
/// The directory a build sees, as the content hash that decides whether a cached image is still current: the hash
/// covers every path, file mode and byte, and nothing else (not timestamps), so an unchanged tree hashes the same.
/// Testcontainers' <c>ImageFromDockerfileBuilder</c> sends the directory itself.
/// </summary>
public sealed record BuildContext(string Directory)
{
    public static BuildContext FromDirectory(string directory) => new(directory);

    /// <summary>SHA-256 over (path, mode, length, bytes) of every file in path order, as lowercase hex.</summary>
    public string ComputeHash()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new ReplicaException($"build context: '{Directory}' does not exist; expected a directory to build from", kind: ReplicaErrorKind.BadInput);
        }
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(Directory, file).Replace('\\', '/')] = file;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        foreach (var (contextPath, hostPath) in files)
        {
            var mode = OperatingSystem.IsWindows() ? 0 : (int)File.GetUnixFileMode(hostPath);
            using var file = File.OpenRead(hostPath);
            hash.AppendData(Encoding.UTF8.GetBytes($"{contextPath}\0{mode}\0{file.Length}\0"));
            int read;
            while ((read = file.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
