using System.CommandLine;

namespace Replica.Cli.Environments;

/// <summary>
/// The named endpoints of the environment that is up (edge, edge-admin, toxiproxy-api), read from its state file, so
/// `replica toxic` and `replica fault` act on the running environment without being told where its APIs are.
/// </summary>
internal static class RunningEndpoints
{
    public static string? Find(ParseResult parse, string endpoint)
    {
        try
        {
            var options = EnvironmentOptions.From(parse);
            var state = options.Store.Read(options.ResolveName());
            return state is not null && state.Owner.IsAlive && state.Endpoints.TryGetValue(endpoint, out var url) ? url : null;
        }
        catch (Replica.Environments.Errors.ReplicaException)
        {
            // No readable compose file here and no single environment up: nothing to default to.
            return null;
        }
    }
}
