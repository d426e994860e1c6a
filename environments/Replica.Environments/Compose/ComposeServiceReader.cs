using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Replica.Environments.Compose;

/// <summary>Reads one entry of `services:` (Compose fields and its x-replica block).</summary>
internal static partial class ComposeServiceReader
{
    [GeneratedRegex(@"^(?:(?<ip>\[[0-9a-fA-F:]+\]|\d{1,3}(?:\.\d{1,3}){3}):)?(?:(?<host>\d*):)?(?<container>\d+)(?:/(?<proto>tcp|udp))?$")]
    private static partial Regex ShortPort();

    public static ServiceDefinition? Read(YamlNodeReader reader, string name, YamlNode keyNode, YamlNode node, string directory)
    {
        var path = $"services.{name}";
        if (node is YamlScalarNode { Value: null or "" })
        {
            reader.Problem(keyNode, $"{path}: the service is empty; it needs at least 'image' or 'build'");
            return null;
        }
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }
        reader.CheckKeys(map, path, ComposeKeys.Service);

        var image = reader.Child(map, "image") is { } imageNode ? reader.String(imageNode, path + ".image") : null;
        var build = reader.Child(map, "build") is { } buildNode ? ReadBuild(reader, buildNode, path + ".build", directory) : null;
        if (reader.Child(map, "image") is null && reader.Child(map, "build") is null)
        {
            reader.Problem(keyNode, $"{path}: missing 'image' or 'build' (Compose needs one to run the service)");
        }
        var command = reader.Child(map, "command") is { } commandNode ? reader.StringOrList(commandNode, path + ".command") : null;
        var environment = ReadEnvironment(reader, map, path, directory);
        var ports = reader.Child(map, "ports") is { } portsNode ? ReadPorts(reader, portsNode, path + ".ports") : [];
        var dependsOn = reader.Child(map, "depends_on") is { } depNode ? ReadDependsOn(reader, depNode, path + ".depends_on") : [];
        var healthcheck = reader.Child(map, "healthcheck") is { } hcNode ? ReadHealthcheck(reader, hcNode, path + ".healthcheck") : null;
        var replica = ReplicaSettingsReader.Read(reader, map, path, name, image, ports, healthcheck, keyNode);

        return new ServiceDefinition(name, image, build, command, environment, ports, dependsOn, healthcheck, replica, reader.At(keyNode));
    }

    private static BuildDefinition? ReadBuild(YamlNodeReader reader, YamlNode node, string path, string directory)
    {
        if (node is YamlScalarNode)
        {
            var context = reader.FullPath(node, path, directory);
            return context is null ? null : new BuildDefinition(context, "Dockerfile");
        }
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }
        reader.CheckKeys(map, path, ComposeKeys.Build);
        var ctx = reader.Child(map, "context") is { } c ? reader.FullPath(c, path + ".context", directory) : Path.GetFullPath(directory);
        var dockerfile = reader.Child(map, "dockerfile") is { } d ? reader.String(d, path + ".dockerfile") ?? "Dockerfile" : "Dockerfile";
        return ctx is null ? null : new BuildDefinition(ctx, dockerfile);
    }

    private static IReadOnlyDictionary<string, string> ReadEnvironment(YamlNodeReader reader, YamlMappingNode map, string path, string directory)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.Child(map, "env_file") is { } envFileNode && reader.StringOrList(envFileNode, path + ".env_file") is { } files)
        {
            foreach (var file in files)
            {
                var full = Path.Combine(directory, file);
                if (!File.Exists(full))
                {
                    reader.Problem(envFileNode, $"{path}.env_file: file not found: {file}");
                    continue;
                }
                foreach (var line in File.ReadAllLines(full).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
                {
                    var eq = line.IndexOf('=');
                    if (eq > 0)
                    {
                        env[line[..eq].Trim()] = line[(eq + 1)..].Trim();
                    }
                }
            }
        }
        if (reader.Child(map, "environment") is not { } node)
        {
            return env;
        }
        var envPath = path + ".environment";
        switch (node)
        {
            case YamlMappingNode m:
                foreach (var (k, v) in m.Children)
                {
                    if (reader.Key(k, envPath) is not { } key)
                    {
                        continue;
                    }
                    if (IsNullScalar(v))
                    {
                        // `KEY:` with no value takes the host's value, as Compose does.
                        env[key] = System.Environment.GetEnvironmentVariable(key) ?? "";
                    }
                    else if (reader.String(v, $"{envPath}.{key}") is { } value)
                    {
                        env[key] = value;
                    }
                }
                break;
            case YamlSequenceNode seq:
                var i = 0;
                foreach (var item in seq.Children)
                {
                    var entry = reader.String(item, $"{envPath}[{i++}]");
                    if (entry is null)
                    {
                        continue;
                    }
                    var eq = entry.IndexOf('=');
                    if (eq < 0)
                    {
                        env[entry] = System.Environment.GetEnvironmentVariable(entry) ?? "";
                    }
                    else
                    {
                        env[entry[..eq]] = entry[(eq + 1)..];
                    }
                }
                break;
            default:
                reader.Problem(node, $"{envPath}: expected a mapping or a list of KEY=VALUE, found {YamlNodeReader.Describe(node)}");
                break;
        }
        return env;
    }

    private static bool IsNullScalar(YamlNode node) => node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "" };

    private static IReadOnlyList<PortMapping> ReadPorts(YamlNodeReader reader, YamlNode node, string path)
    {
        var ports = new List<PortMapping>();
        if (node is not YamlSequenceNode seq)
        {
            reader.Problem(node, $"{path}: expected a list of ports, found {YamlNodeReader.Describe(node)}");
            return ports;
        }
        var i = 0;
        foreach (var item in seq.Children)
        {
            var itemPath = $"{path}[{i++}]";
            if (item is YamlMappingNode map)
            {
                reader.CheckKeys(map, itemPath, ComposeKeys.Port);
                var target = reader.Child(map, "target") is { } t ? reader.Int(t, itemPath + ".target", 1, 65535) : null;
                if (target is null)
                {
                    reader.Problem(item, $"{itemPath}: 'target' (the container port) is required");
                    continue;
                }
                int? published = reader.Child(map, "published") is { } p && reader.String(p, itemPath + ".published") is { Length: > 0 } pub
                    ? (int.TryParse(pub, out var pp) && pp is > 0 and < 65536 ? pp : Bad(reader, p, itemPath + ".published", pub))
                    : null;
                var hostIp = reader.Child(map, "host_ip") is { } h ? reader.String(h, itemPath + ".host_ip") : null;
                ports.Add(new PortMapping(target.Value, published, hostIp, reader.At(item)));
                continue;
            }
            var text = reader.String(item, itemPath);
            if (text is null)
            {
                continue;
            }
            var m = ShortPort().Match(text.Trim());
            if (!m.Success)
            {
                reader.Problem(item, text.Contains('-')
                    ? $"{itemPath}: port ranges are not supported, found '{text}'"
                    : $"{itemPath}: expected \"PORT\", \"HOST:PORT\" or \"IP:HOST:PORT\", found '{text}'");
                continue;
            }
            // Out of int's range parses as 0, which the range check below reports.
            var container = int.TryParse(m.Groups["container"].Value, out var c) ? c : 0;
            int? host = m.Groups["host"].Value is { Length: > 0 } hv ? (int.TryParse(hv, out var hp) ? hp : 0) : null;
            if (container is < 1 or > 65535 || host is < 1 or > 65535)
            {
                reader.Problem(item, $"{itemPath}: ports run from 1 to 65535, found '{text}'");
                continue;
            }
            ports.Add(new PortMapping(container, host, m.Groups["ip"].Value is { Length: > 0 } ip ? ip.Trim('[', ']') : null, reader.At(item)));
        }
        return ports;
    }

    private static int? Bad(YamlNodeReader reader, YamlNode node, string path, string value)
    {
        reader.Problem(node, $"{path}: expected a port from 1 to 65535, found '{value}'");
        return null;
    }

    private static IReadOnlyList<ServiceDependency> ReadDependsOn(YamlNodeReader reader, YamlNode node, string path)
    {
        var list = new List<ServiceDependency>();
        switch (node)
        {
            case YamlSequenceNode seq:
                var i = 0;
                foreach (var item in seq.Children)
                {
                    if (reader.String(item, $"{path}[{i++}]") is { } name)
                    {
                        list.Add(new ServiceDependency(name, DependencyCondition.ServiceStarted, reader.At(item)));
                    }
                }
                break;
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children)
                {
                    if (reader.Key(k, path) is not { } name)
                    {
                        continue;
                    }
                    var condition = DependencyCondition.ServiceStarted;
                    if (reader.Mapping(v, $"{path}.{name}") is { } entry)
                    {
                        reader.CheckKeys(entry, $"{path}.{name}", ComposeKeys.DependsOn);
                        if (reader.Child(entry, "condition") is { } c)
                        {
                            switch (reader.String(c, $"{path}.{name}.condition"))
                            {
                                case "service_started": condition = DependencyCondition.ServiceStarted; break;
                                case "service_healthy": condition = DependencyCondition.ServiceHealthy; break;
                                case "service_completed_successfully": condition = DependencyCondition.ServiceCompletedSuccessfully; break;
                                case { } other:
                                    reader.Problem(c, $"{path}.{name}.condition: expected service_started, service_healthy or service_completed_successfully, found '{other}'");
                                    break;
                            }
                        }
                    }
                    list.Add(new ServiceDependency(name, condition, reader.At(k)));
                }
                break;
            default:
                reader.Problem(node, $"{path}: expected a list of services or a mapping, found {YamlNodeReader.Describe(node)}");
                break;
        }
        return list;
    }

    private static HealthcheckDefinition? ReadHealthcheck(YamlNodeReader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }
        reader.CheckKeys(map, path, ComposeKeys.Healthcheck);
        var disabled = reader.Child(map, "disable") is { } d && reader.Bool(d, path + ".disable") == true;
        IReadOnlyList<string> test = [];
        if (reader.Child(map, "test") is { } t)
        {
            test = t is YamlScalarNode
                ? (reader.String(t, path + ".test") is { } shell ? ["CMD-SHELL", shell] : [])
                : reader.StringOrList(t, path + ".test") ?? [];
            if (test.Count > 0 && test[0] == "NONE")
            {
                disabled = true;
            }
        }
        TimeSpan Dur(string key, TimeSpan fallback) =>
            reader.Child(map, key) is { } n ? reader.Duration(n, $"{path}.{key}") ?? fallback : fallback;
        var retries = reader.Child(map, "retries") is { } r ? reader.Int(r, path + ".retries", 0) ?? HealthcheckDefinition.DefaultRetries : HealthcheckDefinition.DefaultRetries;
        return new HealthcheckDefinition(
            test,
            Dur("interval", HealthcheckDefinition.DefaultInterval),
            Dur("timeout", HealthcheckDefinition.DefaultTimeout),
            retries,
            Dur("start_period", TimeSpan.Zero),
            disabled,
            IntervalWritten: reader.Child(map, "interval") is not null,
            StartInterval: reader.Child(map, "start_interval") is { } si ? reader.Duration(si, path + ".start_interval") : null);
    }
}
