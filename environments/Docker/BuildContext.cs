using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Replica.Environments.Errors;

namespace Replica.Environments.Docker;

/// <summary>
/// The files a build sees, gathered from one or more host files and directories. It is both the tar sent to the
/// engine and the content hash that decides whether a cached image is still current: the hash covers every
/// path, file mode and byte, and nothing else (not timestamps), so an unchanged tree hashes the same.
/// .dockerignore is not applied: contexts are made by Replica, not by users.
/// </summary>
public sealed record BuildContext(IReadOnlyList<BuildContextSource> Sources)
{
    public static BuildContext FromDirectory(string directory) => new([new BuildContextSource(directory, "")]);

    /// <summary>This context with one more host file or directory at <paramref name="contextPath"/>.</summary>
    public BuildContext With(string hostPath, string contextPath) =>
        new([.. Sources, new BuildContextSource(hostPath, contextPath)]);

    public async Task WriteTarAsync(Stream destination, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var (hostPath, contextPath) in Files())
        {
            await writer.WriteEntryAsync(hostPath, contextPath, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>SHA-256 over (path, mode, length, bytes) of every file in path order, as lowercase hex.</summary>
    public string ComputeHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        foreach (var (hostPath, contextPath) in Files())
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

    /// <summary>Every file, with its path in the context, sorted so that tar and hash are stable.</summary>
    private IReadOnlyList<(string HostPath, string ContextPath)> Files()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in Sources)
        {
            var prefix = source.ContextPath.Trim('/');
            if (File.Exists(source.HostPath))
            {
                files[prefix.Length == 0 ? Path.GetFileName(source.HostPath) : prefix] = source.HostPath;
            }
            else if (Directory.Exists(source.HostPath))
            {
                foreach (var file in Directory.EnumerateFiles(source.HostPath, "*", SearchOption.AllDirectories))
                {
                    var relative = Path.GetRelativePath(source.HostPath, file).Replace('\\', '/');
                    files[prefix.Length == 0 ? relative : $"{prefix}/{relative}"] = file;
                }
            }
            else
            {
                throw new ReplicaException(
                    $"build context: '{source.HostPath}' does not exist; expected a file or directory to send as '{source.ContextPath}'",
                    exitCode: 2);
            }
        }

        return files.Select(f => (f.Value, f.Key)).ToArray();
    }
}
