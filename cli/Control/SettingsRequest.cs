using System.Text.Json;
using System.Text.RegularExpressions;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;

namespace Replica.Cli.Control;

/// <summary>
/// Setting changes for running services, checked whole before any is applied: each service must be one of the
/// environment's, each key an environment variable name, each value a string. Also the body `replica set` posts
/// (<c>{"settings": …, "restart": …}</c>, written by <see cref="ControlJsonContext"/>).
/// </summary>
internal sealed partial record SettingsRequest(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Settings, bool Restart)
{
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex KeyPattern();

    /// <summary>Whether <paramref name="key"/> can be a setting (an environment variable's name).</summary>
    public static bool IsKey(string key) => KeyPattern().IsMatch(key);

    /// <summary>Reads { "settings": { SERVICE: { KEY: "VALUE" } }, "restart": bool }; every problem in one error.</summary>
    public static SettingsRequest Read(JsonElement? body, RunningEnvironment environment)
    {
        if (body is not { ValueKind: JsonValueKind.Object } json || !json.TryGetProperty("settings", out var settings) || settings.ValueKind != JsonValueKind.Object)
        {
            throw new ReplicaException("expected {\"settings\": {SERVICE: {KEY: \"VALUE\"}}, \"restart\": true}", ReplicaErrorKind.BadInput);
        }
        var problems = new List<string>();
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var names = environment.Services.Select(s => s.Name).ToList();
        foreach (var service in settings.EnumerateObject())
        {
            if (!names.Contains(service.Name))
            {
                problems.Add($"no service '{service.Name}' in {environment.Topology.SourceFile}{KeySuggestion.For(service.Name, names)}");
                continue;
            }
            if (service.Value.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{service.Name}: expected an object of KEY: \"VALUE\"");
                continue;
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var setting in service.Value.EnumerateObject())
            {
                if (!IsKey(setting.Name))
                {
                    problems.Add($"{service.Name}.{setting.Name}: a setting's name is an environment variable name (letters, digits, _; not starting with a digit)");
                }
                else if (setting.Value.ValueKind != JsonValueKind.String)
                {
                    problems.Add($"{service.Name}.{setting.Name}: the value must be a string");
                }
                else
                {
                    values[setting.Name] = setting.Value.GetString()!;
                }
            }
            result[service.Name] = values;
        }
        if (result.Count == 0 && problems.Count == 0)
        {
            problems.Add("no setting given");
        }
        if (problems.Count > 0)
        {
            throw new ReplicaException($"nothing applied: {string.Join("; ", problems)}", ReplicaErrorKind.BadInput);
        }
        var restart = !json.TryGetProperty("restart", out var r) || r.ValueKind != JsonValueKind.False;
        return new SettingsRequest(result, restart);
    }
}
