using Replica.Environments.Compose;
using Replica.Environments.Errors;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios.Reading;

/// <summary>
/// Which compose file a scenario runs on: the one given on the command line (<c>-f</c>), else the scenario's
/// <c>compose:</c> (relative to the scenario), else the nearest compose.yaml above the scenario, else above the
/// current directory.
/// </summary>
internal static class ComposeFileLocator
{
    /// <summary>The full path; null with a problem on <paramref name="reader"/> when there is none.</summary>
    public static string? Locate(YamlNodeReader reader, YamlMappingNode top, string scenarioPath, string? composeFile)
    {
        if (composeFile is not null)
        {
            var given = Path.GetFullPath(composeFile);
            return File.Exists(given) ? given : throw new ReplicaException($"compose file not found: {composeFile} (-f)", kind: ReplicaErrorKind.BadInput);
        }
        var node = reader.Child(top, "compose");
        var directory = Path.GetDirectoryName(scenarioPath)!;
        string? path;
        if (node is not null)
        {
            path = reader.FullPath(node, "compose", directory);
            if (path is null)
            {
                return null;
            }
        }
        else
        {
            path = Nearest(directory) ?? Nearest(System.Environment.CurrentDirectory);
        }
        if (path is not null && File.Exists(path))
        {
            return path;
        }
        reader.Problem(node ?? top, path is null
            ? "compose: no compose.yaml above the scenario or the current directory; pass -f path/to/compose.yaml (or set compose: in the scenario)"
            : $"compose: no compose.yaml at {path}");
        return null;
    }

    private static string? Nearest(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "compose.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
