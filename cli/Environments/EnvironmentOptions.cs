using System.CommandLine;
using Replica.Environments.Compose;
using Replica.Environments.Hosting;
using Replica.Environments.State;

namespace Replica.Cli.Environments;

/// <summary>Reads the global --file/--name into a topology, an environment name and the state store.</summary>
internal sealed record EnvironmentOptions(string ComposeFile, string? ExplicitName, bool FileGiven = false)
{
    public static EnvironmentOptions From(ParseResult parse) =>
        new(parse.GetValue(GlobalOptions.File) ?? "compose.yaml", parse.GetValue(GlobalOptions.Name),
            parse.GetResult(GlobalOptions.File) is { Implicit: false });

    public StateStore Store => StateStore.Default();

    public Topology LoadTopology() => ComposeLoader.Load(ComposeFile);

    /// <summary>The environment name without reading the whole file when --name is given (down, status, logs).</summary>
    public string ResolveName()
    {
        if (ExplicitName is { Length: > 0 } name)
        {
            return ComposeLoader.Sanitize(name);
        }
        if (File.Exists(ComposeFile) || FileGiven)
        {
            // A --file that is not there is an error (as in docker compose), not a reason to guess the environment.
            return LoadTopology().Name;
        }
        // No compose file here: if exactly one environment is up, that is the one meant.
        var names = Store.Names().ToList();
        return names.Count == 1 ? names[0] : ComposeLoader.Sanitize(Path.GetFileName(System.Environment.CurrentDirectory));
    }

    public EnvironmentBuilder Builder(Topology topology) =>
        new EnvironmentBuilder().WithTopology(topology).WithName(ExplicitName ?? topology.Name);
}
