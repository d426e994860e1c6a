using Replica.Environments.Compose;
using YamlDotNet.RepresentationModel;

namespace Replica.Chaos.Scenarios.Reading;

/// <summary>Reads <c>network: PROFILE</c>: one of the shipped profiles or of those the compose file declares.</summary>
internal static class NetworkReader
{
    public static (string? Name, SourceLocation? Location) Read(YamlNodeReader reader, YamlNode node, Topology topology)
    {
        if (reader.String(node, "network") is not { Length: > 0 } name)
        {
            return (null, null);
        }
        if (topology.Network.Find(name) is null)
        {
            reader.Problem(node, topology.Network.UnknownProfile(name, "network"));
            return (null, null);
        }
        return (name, reader.At(node));
    }
}
