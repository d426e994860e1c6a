using System.Text.Json;

namespace Replica.Environments.State;

/// <summary>
/// Where environments are recorded: $REPLICA_STATE_DIR, else $XDG_STATE_HOME/replica, else ~/.local/state/replica.
/// One directory per environment holds state.json, the owner lock and the service logs.
/// </summary>
public sealed class StateStore
{
    public StateStore(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    public static string DefaultRoot =>
        System.Environment.GetEnvironmentVariable("REPLICA_STATE_DIR") is { Length: > 0 } dir ? dir
        : Path.Combine(
            System.Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } x ? x
                : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".local", "state"),
            "replica");

    public static StateStore Default() => new(DefaultRoot);

    public string DirectoryOf(string name) => Path.Combine(Root, name);

    public string LogDirectoryOf(string name) => Path.Combine(DirectoryOf(name), "logs");

    private string FileOf(string name) => Path.Combine(DirectoryOf(name), "state.json");

    public IEnumerable<string> Names() =>
        Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Where(d => File.Exists(Path.Combine(d, "state.json"))).Select(Path.GetFileName).OfType<string>()
            : [];

    public EnvironmentState? Read(string name)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(FileOf(name)), StateJsonContext.Default.EnvironmentState);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            // A state file cut short by a crash mid-write cannot happen (writes are renames), but a hand-edited one can.
            return null;
        }
    }

    public void Write(EnvironmentState state)
    {
        Directory.CreateDirectory(DirectoryOf(state.Name));
        var target = FileOf(state.Name);
        var temp = $"{target}.{System.Environment.ProcessId}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(state, StateJsonContext.Default.EnvironmentState));
        File.Move(temp, target, overwrite: true);
    }

    public void Delete(string name)
    {
        var dir = DirectoryOf(name);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>True when the environment's owner process is still the one that wrote the state.</summary>
    public static bool IsOwnerAlive(EnvironmentState state) => state.Owner.IsAlive;
}
