using YamlDotNet.RepresentationModel;

namespace Replica.Environments.Compose;

/// <summary>
/// The top-level `x-replica` block: `edge` (routes and TLS of the edge proxy) and `network` (the network profile).
/// Problems go to the reader with their place in the file; nothing here touches the machine except checking that
/// certificate files named by `edge.tls` exist.
/// </summary>
internal static class ReplicaTopLevelReader
{
    public static (IReadOnlyList<EdgeRouteDefinition> Routes, EdgeTlsDefinition Tls, NetworkDefinition Network) Read(
        YamlNodeReader reader, YamlMappingNode top, IReadOnlyList<ServiceDefinition> services, string directory)
    {
        if (reader.Child(top, "x-replica") is not { } xNode || reader.Mapping(xNode, "x-replica") is not { } x)
        {
            return ([], EdgeTlsDefinition.Off, NetworkDefinition.Default);
        }
        reader.CheckKeys(x, "x-replica", ComposeKeys.ReplicaTopLevel);
        var network = reader.Child(x, "network") is { } networkNode ? ReadNetwork(reader, networkNode) : NetworkDefinition.Default;
        if (reader.Child(x, "edge") is not { } edgeNode || reader.Mapping(edgeNode, "x-replica.edge") is not { } edge)
        {
            return ([], EdgeTlsDefinition.Off, network);
        }
        reader.CheckKeys(edge, "x-replica.edge", ComposeKeys.ReplicaEdge);
        var routes = reader.Child(edge, "routes") is { } routesNode ? ReadRoutes(reader, routesNode, services) : [];
        var tls = reader.Child(edge, "tls") is { } tlsNode ? ReadTls(reader, tlsNode, directory) : EdgeTlsDefinition.Off;
        return (routes, tls, network);
    }

    private static List<EdgeRouteDefinition> ReadRoutes(YamlNodeReader reader, YamlNode routesNode, IReadOnlyList<ServiceDefinition> services)
    {
        var routes = new List<EdgeRouteDefinition>();
        if (routesNode is not YamlSequenceNode list)
        {
            reader.Problem(routesNode, "x-replica.edge.routes: expected a list of routes");
            return routes;
        }
        var i = 0;
        foreach (var item in list.Children)
        {
            var path = $"x-replica.edge.routes[{i++}]";
            if (reader.Mapping(item, path) is not { } route)
            {
                continue;
            }
            reader.CheckKeys(route, path, ComposeKeys.ReplicaRoute);
            var pattern = reader.Child(route, "path") is { } p ? reader.String(p, path + ".path") : null;
            var serviceName = reader.Child(route, "service") is { } s ? reader.String(s, path + ".service") : null;
            if (pattern is null || serviceName is null)
            {
                reader.Problem(item, $"{path}: a route needs 'path' and 'service'");
                continue;
            }
            var target = services.FirstOrDefault(sv => sv.Name == serviceName);
            if (target is null)
            {
                reader.Problem(reader.Child(route, "service")!, $"{path}.service: unknown service '{serviceName}'{KeySuggestion.For(serviceName, services.Select(sv => sv.Name))}");
                continue;
            }
            var port = reader.Child(route, "port") is { } portNode ? reader.Int(portNode, path + ".port", 1, 65535) : target.PrimaryPort;
            if (port is null)
            {
                reader.Problem(item, $"{path}: service '{serviceName}' declares no ports; give the route a port");
                continue;
            }
            var routeName = reader.Child(route, "name") is { } n ? reader.String(n, path + ".name") ?? serviceName : serviceName;
            routes.Add(new EdgeRouteDefinition(routeName, pattern, serviceName, port.Value, reader.At(item)));
        }
        return routes;
    }

    /// <summary>`tls: true|false`, or `tls: { hosts: [...], certificate: FILE, key: FILE }` (which means on).</summary>
    private static EdgeTlsDefinition ReadTls(YamlNodeReader reader, YamlNode node, string directory)
    {
        const string path = "x-replica.edge.tls";
        if (node is YamlScalarNode)
        {
            return reader.Bool(node, path) is true ? EdgeTlsDefinition.Off with { Enabled = true, Location = reader.At(node) } : EdgeTlsDefinition.Off;
        }
        if (node is not YamlMappingNode map)
        {
            reader.Problem(node, $"{path}: expected true, false or a mapping with hosts, certificate and key, found {YamlNodeReader.Describe(node)}");
            return EdgeTlsDefinition.Off;
        }
        reader.CheckKeys(map, path, ComposeKeys.ReplicaEdgeTls);
        var hostsNode = reader.Child(map, "hosts");
        var hosts = hostsNode is null ? [] : reader.StringOrList(hostsNode, path + ".hosts") ?? [];
        var certificateNode = reader.Child(map, "certificate");
        var keyNode = reader.Child(map, "key");
        var certificate = certificateNode is null ? null : ExistingFile(reader, certificateNode, path + ".certificate", directory);
        var key = keyNode is null ? null : ExistingFile(reader, keyNode, path + ".key", directory);
        if (certificateNode is not null && keyNode is null)
        {
            reader.Problem(certificateNode, $"{path}.certificate: give its private key too ({path}.key), or neither to have the local certificate authority issue one");
        }
        else if (keyNode is not null && certificateNode is null)
        {
            reader.Problem(keyNode, $"{path}.key: give the certificate too ({path}.certificate), or neither to have the local certificate authority issue one");
        }
        return new EdgeTlsDefinition(true, hosts, certificate, key, reader.At(node),
            hostsNode is null ? null : reader.At(hostsNode),
            certificateNode is null ? null : reader.At(certificateNode),
            keyNode is null ? null : reader.At(keyNode));
    }

    private static string? ExistingFile(YamlNodeReader reader, YamlNode node, string path, string directory)
    {
        if (reader.String(node, path) is not { Length: > 0 } value || reader.FullPath(node, path, value, directory) is not { } full)
        {
            return null;
        }
        if (!File.Exists(full))
        {
            reader.Problem(node, $"{path}: {value}: no such file (relative paths are relative to the compose file)");
        }
        return full;
    }

    /// <summary>`network: NAME`, or `network: { profile: NAME, profiles: { NAME: { clients: …, dependencies: … } } }`.</summary>
    private static NetworkDefinition ReadNetwork(YamlNodeReader reader, YamlNode node)
    {
        const string path = "x-replica.network";
        if (node is YamlScalarNode)
        {
            return Selected(reader, node, path, NetworkDefinition.Default);
        }
        if (reader.Mapping(node, path) is not { } map)
        {
            return NetworkDefinition.Default;
        }
        reader.CheckKeys(map, path, ComposeKeys.ReplicaNetwork);
        var declared = new List<NetworkProfile>();
        if (reader.Child(map, "profiles") is { } profilesNode && reader.Mapping(profilesNode, path + ".profiles") is { } profiles)
        {
            foreach (var (keyNode, valueNode) in profiles.Children)
            {
                if (reader.Key(keyNode, path + ".profiles") is not { } name)
                {
                    continue;
                }
                var at = $"{path}.profiles.{name}";
                if (NetworkProfiles.Shipped.Any(p => p.Name == name))
                {
                    reader.Problem(keyNode, $"{at}: '{name}' is a profile Replica ships; give yours another name");
                    continue;
                }
                if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                {
                    reader.Problem(keyNode, $"{at}: a profile name takes letters, digits, '-', '_' and '.'");
                    continue;
                }
                if (ReadProfile(reader, name, valueNode, at) is { } profile)
                {
                    declared.Add(profile);
                }
            }
        }
        var definition = new NetworkDefinition(null, null, declared);
        return reader.Child(map, "profile") is { } selected ? Selected(reader, selected, path + ".profile", definition) : definition;
    }

    private static NetworkDefinition Selected(YamlNodeReader reader, YamlNode node, string path, NetworkDefinition definition)
    {
        if (reader.String(node, path) is not { Length: > 0 } name)
        {
            return definition;
        }
        if (definition.Find(name) is null)
        {
            reader.Problem(node, definition.UnknownProfile(name, path));
            return definition;
        }
        return definition with { Profile = name, ProfileLocation = reader.At(node) };
    }

    private static NetworkProfile? ReadProfile(YamlNodeReader reader, string name, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }
        reader.CheckKeys(map, path, ComposeKeys.ReplicaNetworkProfile);
        var description = reader.Child(map, "description") is { } d ? reader.String(d, path + ".description") : null;
        var clients = reader.Child(map, "clients") is { } c ? ReadPath(reader, c, path + ".clients") : NetworkPath.Loopback;
        var dependencies = reader.Child(map, "dependencies") is { } dep ? ReadPath(reader, dep, path + ".dependencies") : NetworkPath.Loopback;
        return clients is null || dependencies is null ? null : new NetworkProfile(name, clients, dependencies, description ?? "declared in the compose file");
    }

    private static NetworkPath? ReadPath(YamlNodeReader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }
        reader.CheckKeys(map, path, ComposeKeys.ReplicaNetworkPath);
        var problems = reader.Problems.Count;
        var rtt = reader.Child(map, "rtt") is { } r ? reader.Duration(r, path + ".rtt") : TimeSpan.Zero;
        var jitter = reader.Child(map, "jitter") is { } j ? reader.Duration(j, path + ".jitter") : TimeSpan.Zero;
        long? rate = null;
        if (reader.Child(map, "bandwidth") is { } b && reader.String(b, path + ".bandwidth") is { } text)
        {
            if (Bandwidth.TryParse(text, out var parsed))
            {
                rate = parsed;
            }
            else
            {
                reader.Problem(b, $"{path}.bandwidth: expected a rate such as 100mbit, 12.5MB/s or 500kB, found '{text}'");
            }
        }
        if (rtt > TimeSpan.FromSeconds(10))
        {
            reader.Problem(reader.Child(map, "rtt")!, $"{path}.rtt: at most 10s");
        }
        if (jitter > rtt)
        {
            reader.Problem(reader.Child(map, "jitter")!, $"{path}.jitter: at most the rtt ({rtt?.TotalMilliseconds:0.###}ms): a round trip lands within rtt ± jitter");
        }
        return reader.Problems.Count > problems || rtt is null || jitter is null ? null : new NetworkPath(rtt.Value, jitter.Value, rate);
    }
}
