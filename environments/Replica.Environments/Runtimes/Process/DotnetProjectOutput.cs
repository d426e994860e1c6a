using System.Xml.Linq;
using Replica.Environments.Errors;
using Replica.Environments.Processes;

namespace Replica.Environments.Runtimes.Process;

/// <summary>
/// Finds the built entry assembly of a .NET project (x-replica.dotnet), building the project first when no output
/// exists yet. Looks where `UseArtifactsOutput` puts it (artifacts/bin/PROJECT/config/) and in bin/CONFIG/TFM/.
/// </summary>
public static class DotnetProjectOutput
{
    public static async Task<string> ResolveAsync(string projectFile, string configuration, Action<string>? progress, CancellationToken cancellationToken)
    {
        if (!File.Exists(projectFile))
        {
            throw new ReplicaException($"x-replica.dotnet: project file not found: {projectFile}", kind: ReplicaErrorKind.BadInput);
        }
        var found = Find(projectFile, configuration);
        if (found is not null)
        {
            return found;
        }
        progress?.Invoke($"building {Path.GetFileName(projectFile)} ({configuration})");
        await DotnetCli.RunAsync(["build", projectFile, "-c", configuration, "--nologo", "-v", "quiet"], cancellationToken);
        return Find(projectFile, configuration) ?? throw new ReplicaException(
            $"built {projectFile}, but found no {AssemblyName(projectFile)}.dll in its output",
            hint: "set x-replica.command to the exact command instead");
    }

    public static string? Find(string projectFile, string configuration)
    {
        var projectName = Path.GetFileNameWithoutExtension(projectFile);
        var dll = AssemblyName(projectFile) + ".dll";
        var projectDir = Path.GetDirectoryName(Path.GetFullPath(projectFile))!;
        var candidates = new List<string>();
        for (var dir = new DirectoryInfo(projectDir); dir is not null; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, "artifacts", "bin", projectName, configuration.ToLowerInvariant(), dll));
        }
        var binConfig = Path.Combine(projectDir, "bin", configuration);
        if (Directory.Exists(binConfig))
        {
            candidates.AddRange(Directory.EnumerateDirectories(binConfig).Select(tfm => Path.Combine(tfm, dll)));
        }
        return candidates.FirstOrDefault(File.Exists);
    }

    private static string AssemblyName(string projectFile)
    {
        try
        {
            var name = XDocument.Load(projectFile).Descendants("AssemblyName").FirstOrDefault()?.Value;
            return string.IsNullOrWhiteSpace(name) ? Path.GetFileNameWithoutExtension(projectFile) : name.Trim();
        }
        catch (System.Xml.XmlException ex)
        {
            throw new ReplicaException($"{projectFile}:{ex.LineNumber}:{ex.LinePosition}: not a valid project file: {ex.Message}", kind: ReplicaErrorKind.BadInput);
        }
    }
}
