using System.Runtime.InteropServices;
using System.Xml.Linq;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;
using Replica.Environments.Processes;

namespace Replica.Environments.Runtimes.Process;

/// <summary>
/// Finds the built entry point of a .NET project (x-replica.dotnet), building the project first when no output
/// exists yet. Looks where `UseArtifactsOutput` puts it (artifacts/bin/PROJECT/config/) and in bin/CONFIG/TFM/. The
/// entry point is the assembly, run with `dotnet`, or the native executable a Release build publishes beside it
/// (Native AOT, artifacts/publish/PROJECT/config_RID/) when that one is at least as new as the assembly, so a stale
/// executable from an older build is never run. <see cref="AssembliesOnlyVariable"/>=true keeps to the assembly.
/// </summary>
public static class DotnetProjectOutput
{
    /// <summary>A switch (true/1): run the assembly with `dotnet` even where a current native executable exists.</summary>
    public const string AssembliesOnlyVariable = "REPLICA_DOTNET_ASSEMBLIES_ONLY";

    /// <summary>True when <paramref name="entryPoint"/> is an assembly that `dotnet` runs, not a native executable.</summary>
    public static bool IsAssembly(string entryPoint) => entryPoint.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    public static async Task<string> ResolveAsync(string projectFile, string configuration, bool? assembliesOnly, Action<string>? progress, CancellationToken cancellationToken)
    {
        var onlyAssemblies = assembliesOnly ?? EnvironmentSwitch.Read(AssembliesOnlyVariable);
        if (!File.Exists(projectFile))
        {
            throw new ReplicaException($"x-replica.dotnet: project file not found: {projectFile}", kind: ReplicaErrorKind.BadInput);
        }
        var found = Find(projectFile, configuration, onlyAssemblies);
        if (found is not null)
        {
            return found;
        }
        progress?.Invoke($"building {Path.GetFileName(projectFile)} ({configuration})");
        await DotnetCli.RunAsync(["build", projectFile, "-c", configuration, "--nologo", "-v", "quiet"], cancellationToken);
        return Find(projectFile, configuration, onlyAssemblies) ?? throw new ReplicaException(
            $"built {projectFile}, but found no {AssemblyName(projectFile)}.dll in its output",
            hint: "set x-replica.command to the exact command instead");
    }

    public static string? Find(string projectFile, string configuration, bool assembliesOnly)
    {
        var projectName = Path.GetFileNameWithoutExtension(projectFile);
        var name = AssemblyName(projectFile);
        var pivot = configuration.ToLowerInvariant();
        var projectDir = Path.GetDirectoryName(Path.GetFullPath(projectFile))!;
        // (assembly, the native executable published beside it or null)
        var candidates = new List<(string Assembly, string? Native)>();
        for (var dir = new DirectoryInfo(projectDir); dir is not null; dir = dir.Parent)
        {
            var artifacts = Path.Combine(dir.FullName, "artifacts");
            candidates.Add((Path.Combine(artifacts, "bin", projectName, pivot, name + ".dll"),
                Path.Combine(artifacts, "publish", projectName, $"{pivot}_{RuntimeInformation.RuntimeIdentifier}", name)));
        }
        var binConfig = Path.Combine(projectDir, "bin", configuration);
        if (Directory.Exists(binConfig))
        {
            candidates.AddRange(Directory.EnumerateDirectories(binConfig).Select(tfm => (Path.Combine(tfm, name + ".dll"), (string?)null)));
        }
        var (assembly, native) = candidates.FirstOrDefault(c => File.Exists(c.Assembly));
        if (assembly is null)
        {
            return null;
        }
        var nativeIsCurrent = native is not null && File.Exists(native) && File.GetLastWriteTimeUtc(native) >= File.GetLastWriteTimeUtc(assembly);
        return nativeIsCurrent && !assembliesOnly ? native! : assembly;
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
