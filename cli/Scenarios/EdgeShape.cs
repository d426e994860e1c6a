using Replica.Environments.Compose;
using Replica.Environments.Proxied;

namespace Replica.Cli.Scenarios;

/// <summary>How the edge is reached in a scenario's environment, when it differs from plain loopback: "; edge https://…; network staging".</summary>
internal static class EdgeShape
{
    public static string Describe(ReplicaEnvironment environment)
    {
        var text = environment.EdgeUrl is { Scheme: "https" } url ? $"; edge {url}" : "";
        return environment.Network == NetworkProfiles.None ? text : $"{text}; network {environment.Network.Name}";
    }
}
