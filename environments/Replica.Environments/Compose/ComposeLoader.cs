using System.Diagnostics;
using System.Text.RegularExpressions;
using Replica.Environments.Errors;
using YamlDotNet.RepresentationModel;

namespace Replica.Environments.Compose;

/// <summary>
/// Reads compose.yaml into a <see cref="Topology"/>: the Compose fields Replica uses, plus `x-replica` extension
/// blocks. Every problem is reported with file:line:column in one <see cref="ConfigurationException"/>; a file that
/// loads is valid as a whole (known services, no dependency cycle, every service runnable).
/// </summary>
public static partial class ComposeLoader
{
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex ServiceName();

    public static Topology Load(string path, string? projectName = null)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ReplicaException($"compose file not found: {path}", kind: ReplicaErrorKind.BadInput,
                hint: "run from the directory holding compose.yaml, or pass --file PATH");
        }
        var file = YamlFile.Load(fullPath);
        var displayName = file.DisplayName;
        var directory = Path.GetDirectoryName(fullPath)!;
        var reader = new YamlNodeReader(displayName, ComposeInterpolation.FromEnvironment(directory));

        var root = file.Root;
        if (root is not YamlMappingNode top)
        {
            reader.Problem(root, "expected a mapping with a 'services' key at the top of the file");
            reader.ThrowIfAny();
            throw new UnreachableException();
        }
        reader.CheckKeys(top, "top level", ComposeKeys.TopLevel);

        var name = projectName ?? ReadProjectName(reader, top, directory);
        var services = new List<ServiceDefinition>();
        var servicesNode = reader.Child(top, "services");
        if (servicesNode is null)
        {
            reader.Problem(top, "no 'services' key: a compose file needs at least one service");
        }
        else if (reader.Mapping(servicesNode, "services") is { } servicesMap)
        {
            foreach (var (keyNode, valueNode) in servicesMap.Children)
            {
                var serviceName = ((YamlScalarNode)keyNode).Value ?? "";
                if (!ServiceName().IsMatch(serviceName))
                {
                    reader.Problem(keyNode, $"services.{serviceName}: a service name takes letters, digits, '_', '.', '-' and starts with a letter or digit");
                    continue;
                }
                var service = ComposeServiceReader.Read(reader, serviceName, keyNode, valueNode, directory);
                if (service is not null)
                {
                    services.Add(service);
                }
            }
        }

        var (routes, tls, network) = ReplicaTopLevelReader.Read(reader, top, services, directory);
        CheckDependencies(reader, services);
        var ordered = DependencyOrder.Sort(reader, services);
        var dependencies = DependencyFinder.Find(reader, services);
        reader.ThrowIfAny();
        return new Topology(name, displayName, ordered, dependencies, routes) { EdgeTls = tls, Network = network };
    }

    private static string ReadProjectName(YamlNodeReader reader, YamlMappingNode top, string directory)
    {
        if (reader.Child(top, "name") is { } nameNode && reader.String(nameNode, "name") is { Length: > 0 } explicitName)
        {
            return Sanitize(explicitName);
        }
        return Sanitize(Path.GetFileName(directory));
    }

    /// <summary>Compose's project-name rule: lower case letters, digits, '-' and '_'.</summary>
    public static string Sanitize(string name)
    {
        var cleaned = new string(name.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').ToArray());
        return cleaned.Length == 0 ? "default" : cleaned;
    }

    private static void CheckDependencies(YamlNodeReader reader, List<ServiceDefinition> services)
    {
        var names = services.Select(s => s.Name).ToHashSet();
        foreach (var service in services)
        {
            foreach (var dep in service.DependsOn)
            {
                if (!names.Contains(dep.Service))
                {
                    reader.Problem(dep.Location, $"services.{service.Name}.depends_on: unknown service '{dep.Service}'{KeySuggestion.For(dep.Service, names)}");
                }
                else if (dep.Service == service.Name)
                {
                    reader.Problem(dep.Location, $"services.{service.Name}.depends_on: a service cannot depend on itself");
                }
            }
        }
    }
}
