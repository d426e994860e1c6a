using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Replica.Environments.Errors;

namespace Replica.Environments.Docker;

/// <summary>
/// The inputs of publishing a .NET project, hashed without running MSBuild: every file under the project's directory
/// and under the directories of the projects it references (transitively), build output left out (bin, obj,
/// artifacts), plus files that items include from outside those directories (`Compile Include="../common/**/*.cs"`),
/// plus the Directory.Build.*, Directory.Packages.props, global.json and NuGet.config files above them.
/// Checking this hash takes milliseconds where `dotnet publish` takes seconds, so a service image whose label carries
/// it is known to be current without publishing. Paths are hashed relative to the project, so two checkouts of the
/// same sources (git worktrees) share one image. The SDK itself is not an input: a new SDK does not rebuild.
/// A project reference or an outside include written with an MSBuild property cannot be followed without MSBuild:
/// then there is no hash, and the caller publishes every time.
/// </summary>
public static class DotnetProjectSources
{
    private static readonly HashSet<string> OutputDirectories = new(StringComparer.Ordinal)
    {
        "bin", "obj", "artifacts", ".git", "node_modules", "TestResults",
    };

    private static readonly string[] BuildFiles =
    [
        "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json",
        "NuGet.config", "nuget.config", "NuGet.Config",
    ];

    /// <summary>The hash as lowercase hex, or null when a reference cannot be followed without MSBuild.</summary>
    public static string? ComputeHash(string projectPath)
    {
        var origin = Path.GetDirectoryName(Path.GetFullPath(projectPath))!;
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(projectPath)]);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project))
            {
                continue;
            }

            if (!File.Exists(project))
            {
                throw new ReplicaException($"project '{project}' not found (referenced from {Path.GetFileName(projectPath)})", kind: ReplicaErrorKind.BadInput);
            }

            var directory = Path.GetDirectoryName(project)!;
            AddTree(new DirectoryInfo(directory), origin, files);
            for (var up = new DirectoryInfo(directory); up is not null; up = up.Parent)
            {
                foreach (var name in BuildFiles)
                {
                    var file = Path.Combine(up.FullName, name);
                    if (File.Exists(file))
                    {
                        files[Path.GetRelativePath(origin, file)] = file;
                    }
                }
            }

            var document = Load(project);
            foreach (var include in OutsideIncludes(document))
            {
                if (include.Contains("$(", StringComparison.Ordinal))
                {
                    return null;
                }

                AddInclude(directory, include, origin, files);
            }

            foreach (var reference in ProjectReferences(document))
            {
                if (reference.Contains("$(", StringComparison.Ordinal))
                {
                    return null;
                }

                pending.Push(Path.GetFullPath(Path.Combine(directory, reference)));
            }
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (relative, file) in files)
        {
            var bytes = File.ReadAllBytes(file);
            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}\0{bytes.Length}\0"));
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AddTree(DirectoryInfo directory, string origin, SortedDictionary<string, string> files)
    {
        foreach (var file in directory.EnumerateFiles())
        {
            files[Path.GetRelativePath(origin, file.FullName)] = file.FullName;
        }

        foreach (var child in directory.EnumerateDirectories().Where(d => !OutputDirectories.Contains(d.Name)))
        {
            AddTree(child, origin, files);
        }
    }

    /// <summary>
    /// Adds what an item include leaving the project's directory names: the tree under its part before the first
    /// wildcard (a superset of what the glob matches, which is enough to notice a change).
    /// </summary>
    private static void AddInclude(string directory, string include, string origin, SortedDictionary<string, string> files)
    {
        var wildcard = include.IndexOfAny(['*', '?']);
        var path = Path.GetFullPath(Path.Combine(directory, wildcard < 0 ? include : include[..wildcard]));
        if (File.Exists(path))
        {
            files[Path.GetRelativePath(origin, path)] = path;
            return;
        }

        var tree = Directory.Exists(path) ? path : Path.GetDirectoryName(path);
        if (tree is not null && Directory.Exists(tree))
        {
            AddTree(new DirectoryInfo(tree), origin, files);
        }
    }

    private static XDocument Load(string project)
    {
        try
        {
            return XDocument.Load(project);
        }
        catch (System.Xml.XmlException e)
        {
            throw new ReplicaException($"{project}:{e.LineNumber}:{e.LinePosition}: not a valid project file: {e.Message}", kind: ReplicaErrorKind.BadInput);
        }
    }

    private static IEnumerable<string> ProjectReferences(XDocument document) =>
        Includes(document).Where(item => item.Kind == "ProjectReference").Select(item => item.Include);

    /// <summary>
    /// Includes of items other than project and package references that start outside the project's directory, or
    /// that may (written with a property).
    /// </summary>
    private static IEnumerable<string> OutsideIncludes(XDocument document) =>
        Includes(document)
            .Where(item => item.Kind is not ("ProjectReference" or "PackageReference" or "PackageVersion"))
            .SelectMany(item => item.Include.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(include => include.StartsWith("../", StringComparison.Ordinal) || include.StartsWith('/') || include.Contains("$(", StringComparison.Ordinal));

    private static IEnumerable<(string Kind, string Include)> Includes(XDocument document) =>
        document.Descendants()
            .Where(e => e.Parent?.Name.LocalName == "ItemGroup")
            .Select(e => (Kind: e.Name.LocalName, Include: (string?)e.Attribute("Include")))
            .Where(item => item.Include is not null)
            .Select(item => (item.Kind, item.Include!.Replace('\\', '/')));
}
