using Replica.Environments.Compose;
using Replica.Environments.Errors;

namespace Replica.Cli.Scenarios;

/// <summary>
/// Finds a scenario file from what the user typed: a path, a name (r2-websocket-1011-redis-late), or a unique prefix
/// of one (r2), looked up in chaos/scenarios/ of this directory or the nearest one above it.
/// </summary>
internal static class ScenarioResolver
{
    public static string Resolve(string text)
    {
        if (File.Exists(text))
        {
            return text;
        }
        var directory = ScenarioDirectory();
        if (directory is null)
        {
            throw new ReplicaException($"scenario '{text}' not found: no such file, and no chaos/scenarios/ directory here or above", kind: ReplicaErrorKind.BadInput);
        }
        var files = Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal).ToList();
        var names = files.Select(f => Path.GetFileNameWithoutExtension(f)!).ToList();
        var exact = files.FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) == text);
        if (exact is not null)
        {
            return exact;
        }
        var prefixed = files.Where(f => Path.GetFileNameWithoutExtension(f)!.StartsWith(text, StringComparison.Ordinal)).ToList();
        if (prefixed.Count == 1)
        {
            return prefixed[0];
        }
        throw new ReplicaException(
            prefixed.Count > 1
                ? $"scenario '{text}' is ambiguous: {string.Join(", ", prefixed.Select(Path.GetFileNameWithoutExtension))}"
                : $"no scenario '{text}'{KeySuggestion.For(text, names)} in {Path.GetRelativePath(System.Environment.CurrentDirectory, directory)}",
            kind: ReplicaErrorKind.BadInput,
            hint: $"scenarios: {string.Join(", ", names)}");
    }

    public static string? ScenarioDirectory()
    {
        for (var dir = new DirectoryInfo(System.Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "chaos", "scenarios");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
