namespace Replica.Environments.Compose;

/// <summary>Orders services so every dependency starts before its dependents; reports a cycle by its members.</summary>
internal static class DependencyOrder
{
    public static IReadOnlyList<ServiceDefinition> Sort(YamlNodeReader reader, IReadOnlyList<ServiceDefinition> services)
    {
        var byName = services.ToDictionary(s => s.Name);
        var ordered = new List<ServiceDefinition>();
        var state = new Dictionary<string, int>(); // 1 visiting, 2 done
        var stack = new List<string>();

        bool Visit(ServiceDefinition service)
        {
            if (state.TryGetValue(service.Name, out var s))
            {
                if (s == 2)
                {
                    return true;
                }
                var cycle = stack.SkipWhile(n => n != service.Name).Append(service.Name).ToList();
                var first = byName[cycle[0]].DependsOn.First(d => d.Service == cycle[1]);
                reader.Problem(first.Location, $"dependency cycle: {string.Join(" -> ", cycle)}");
                return false;
            }
            state[service.Name] = 1;
            stack.Add(service.Name);
            foreach (var dep in service.DependsOn)
            {
                if (byName.TryGetValue(dep.Service, out var target) && dep.Service != service.Name && !Visit(target))
                {
                    return false;
                }
            }
            stack.RemoveAt(stack.Count - 1);
            state[service.Name] = 2;
            ordered.Add(service);
            return true;
        }

        foreach (var service in services)
        {
            if (!Visit(service))
            {
                return services;
            }
        }
        return ordered;
    }
}
