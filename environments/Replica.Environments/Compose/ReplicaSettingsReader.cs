using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Replica.Environments.Compose;

/// <summary>Reads a service's `x-replica:` block and fills in what it leaves out from the Compose fields.</summary>
internal static partial class ReplicaSettingsReader
{
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"https?://[^/\s:]+(?::(?<port>\d+))?(?<path>/[^\s""']*)?")]
    private static partial Regex HttpUrl();

    public static ReplicaServiceSettings Read(
        YamlNodeReader reader, YamlMappingNode service, string servicePath, string name, string? image,
        IReadOnlyList<PortMapping> ports, HealthcheckDefinition? healthcheck, YamlNode keyNode)
    {
        var path = servicePath + ".x-replica";
        YamlMappingNode? x = null;
        if (reader.Child(service, "x-replica") is { } node)
        {
            x = reader.Mapping(node, path);
            if (x is not null)
            {
                reader.CheckKeys(x, path, ComposeKeys.ReplicaService);
            }
        }
        YamlNode? Get(string key) => x is null ? null : reader.Child(x, key);

        var kind = InferKind(image);
        if (Get("kind") is { } kindNode)
        {
            switch (reader.String(kindNode, path + ".kind"))
            {
                case "process": kind = ServiceKind.Process; break;
                case "redis": kind = ServiceKind.Redis; break;
                case "postgres": kind = ServiceKind.Postgres; break;
                case { } other:
                    reader.Problem(kindNode, $"{path}.kind: expected process, redis or postgres, found '{other}'");
                    break;
            }
        }
        var command = Get("command") is { } c ? reader.StringOrList(c, path + ".command") : null;
        var dotnet = Get("dotnet") is { } d ? reader.String(d, path + ".dotnet") : null;
        if (command is not null && dotnet is not null)
        {
            reader.Problem(Get("dotnet")!, $"{path}: give either 'command' or 'dotnet', not both");
        }
        if (command is { Count: 0 })
        {
            reader.Problem(Get("command")!, $"{path}.command: the command is empty");
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Get("environment") is { } envNode && reader.Mapping(envNode, path + ".environment") is { } envMap)
        {
            foreach (var (k, v) in envMap.Children)
            {
                if (reader.Key(k, path + ".environment") is not { } key)
                {
                    continue;
                }
                if (reader.String(v, $"{path}.environment.{key}") is { } value)
                {
                    environment[key] = value;
                }
            }
        }

        var health = Get("health") is { } healthNode
            ? ReadHealth(reader, healthNode, path + ".health", ports)
            : InferHealth(reader, reader.Child(service, "healthcheck"), servicePath + ".healthcheck", kind, healthcheck, ports);

        var startTimeout = Get("start_timeout") is { } t
            ? reader.Duration(t, path + ".start_timeout") ?? DefaultStartTimeout
            : healthcheck is { Disabled: false } ? Max(healthcheck.Budget, DefaultStartTimeout) : DefaultStartTimeout;

        return new ReplicaServiceSettings(kind, command, dotnet, environment, health, startTimeout);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static ServiceKind InferKind(string? image)
    {
        if (image is null)
        {
            return ServiceKind.Process;
        }
        var repository = image.Split('@')[0];
        var lastSlash = repository.LastIndexOf('/');
        var tagColon = repository.IndexOf(':', lastSlash + 1);
        var baseName = (tagColon >= 0 ? repository[..tagColon] : repository)[(lastSlash + 1)..];
        return baseName switch
        {
            "redis" or "redis-stack-server" or "valkey" => ServiceKind.Redis,
            "postgres" or "postgresql" => ServiceKind.Postgres,
            _ => ServiceKind.Process,
        };
    }

    private static HealthCheckSpec InferHealth(
        YamlNodeReader reader, YamlNode? healthcheckNode, string path, ServiceKind kind, HealthcheckDefinition? healthcheck, IReadOnlyList<PortMapping> ports)
    {
        switch (kind)
        {
            case ServiceKind.Redis: return new HealthCheckSpec(HealthCheckKind.RedisPing);
            case ServiceKind.Postgres: return new HealthCheckSpec(HealthCheckKind.PostgresQuery);
        }
        if (healthcheck is { Disabled: true })
        {
            return HealthCheckSpec.None;
        }
        if (healthcheck is not null)
        {
            var test = string.Join(' ', healthcheck.Test);
            if (HttpUrl().Match(test) is { Success: true } m)
            {
                // Replica checks from the host: a port it cannot reach would make the service count as healthy at once.
                int? port = m.Groups["port"].Success ? (int.TryParse(m.Groups["port"].Value, out var p) ? p : -1) : null;
                if (port is null ? ports.Count == 0 : ports.All(pm => pm.ContainerPort != port))
                {
                    reader.Problem(healthcheckNode!, $"{path}.test: checks {m.Value}, but the service declares {(port is null ? "no ports" : $"no port {m.Groups["port"].Value}")} under ports: — Replica checks health from the host through a declared port; declare it, or set x-replica.health");
                    return HealthCheckSpec.None;
                }
                return new HealthCheckSpec(HealthCheckKind.Http, m.Groups["path"].Success ? m.Groups["path"].Value : "/", port);
            }
            if (test.Contains("redis-cli", StringComparison.Ordinal))
            {
                return new HealthCheckSpec(HealthCheckKind.RedisPing);
            }
            if (test.Contains("pg_isready", StringComparison.Ordinal))
            {
                return new HealthCheckSpec(HealthCheckKind.PostgresQuery);
            }
        }
        return ports.Count > 0 ? new HealthCheckSpec(HealthCheckKind.Tcp) : HealthCheckSpec.None;
    }

    private static HealthCheckSpec ReadHealth(YamlNodeReader reader, YamlNode node, string path, IReadOnlyList<PortMapping> ports)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return HealthCheckSpec.None;
        }
        reader.CheckKeys(map, path, ComposeKeys.ReplicaHealth);
        int? port = reader.Child(map, "port") is { } p ? reader.Int(p, path + ".port", 1, 65535) : null;
        if (port is not null && ports.All(pm => pm.ContainerPort != port))
        {
            reader.Problem(reader.Child(map, "port")!, $"{path}.port: the service declares no port {port} under ports:");
        }
        var kinds = map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).Where(k => k != "port").ToList();
        if (kinds.Count != 1)
        {
            reader.Problem(node, $"{path}: give exactly one of http, tcp, redis, postgres or none");
            return HealthCheckSpec.None;
        }
        if (kinds[0] != "none" && ports.Count == 0)
        {
            // Without a port the check could not run, and the service would count as healthy at once.
            reader.Problem(node, $"{path}: the check needs a port, but the service declares no ports: — declare the port it listens on");
        }
        switch (kinds[0])
        {
            case "http":
                var httpPath = reader.String(reader.Child(map, "http")!, path + ".http") ?? "/";
                if (!httpPath.StartsWith('/'))
                {
                    reader.Problem(reader.Child(map, "http")!, $"{path}.http: expected a path starting with '/', found '{httpPath}'");
                }
                return new HealthCheckSpec(HealthCheckKind.Http, httpPath, port);
            case "tcp": return new HealthCheckSpec(HealthCheckKind.Tcp, null, port);
            case "redis": return new HealthCheckSpec(HealthCheckKind.RedisPing, null, port);
            case "postgres": return new HealthCheckSpec(HealthCheckKind.PostgresQuery, null, port);
            default: return HealthCheckSpec.None;
        }
    }
}
