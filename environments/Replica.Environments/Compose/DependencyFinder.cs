using System.Text.RegularExpressions;

namespace Replica.Environments.Compose;

/// <summary>
/// Finds service-to-service connections: every `name:port` in a service's environment where name is another
/// service. The runtime rewrites those places to the address the dependent should use (the dependency itself,
/// or a fault proxy in front of it).
/// </summary>
public static class DependencyFinder
{
    /// <summary>Built once per service name: the environment asks for it at every launch of every dependent.</summary>
    public static Regex ReferencePattern(string service) =>
        Patterns.GetOrAdd(service, s => new($@"(?<![A-Za-z0-9_.-]){Regex.Escape(s)}:(?<port>\d{{1,5}})(?![0-9])", RegexOptions.CultureInvariant));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Patterns = new();

    internal static IReadOnlyList<DependencyConnection> Find(YamlNodeReader reader, IReadOnlyList<ServiceDefinition> services)
    {
        var dependencies = new List<DependencyConnection>();
        foreach (var dependent in services)
        {
            var environment = dependent.Environment.Concat(dependent.Replica.Environment).ToList();
            foreach (var dependency in services.Where(s => s.Name != dependent.Name))
            {
                var pattern = ReferencePattern(dependency.Name);
                var byPort = new SortedDictionary<int, List<string>>();
                foreach (var (key, value) in environment)
                {
                    foreach (Match m in pattern.Matches(value))
                    {
                        var port = int.Parse(m.Groups["port"].Value);
                        if (dependency.Ports.All(p => p.ContainerPort != port))
                        {
                            var declared = dependency.Ports.Count == 0 ? "no ports" : "ports " + string.Join(", ", dependency.Ports.Select(p => p.ContainerPort));
                            reader.Problem(dependent.Location, $"services.{dependent.Name}.environment.{key}: refers to {dependency.Name}:{port}, but {dependency.Name} declares {declared}");
                            continue;
                        }
                        if (!byPort.TryGetValue(port, out var vars))
                        {
                            byPort[port] = vars = [];
                        }
                        if (!vars.Contains(key))
                        {
                            vars.Add(key);
                        }
                    }
                }
                foreach (var (port, vars) in byPort)
                {
                    var name = byPort.Count == 1 ? $"{dependent.Name}_{dependency.Name}" : $"{dependent.Name}_{dependency.Name}_{port}";
                    dependencies.Add(new DependencyConnection(name, dependent.Name, dependency.Name, port, vars));
                }
            }
        }
        return dependencies;
    }
}
