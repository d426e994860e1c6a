using Replica.Environments.Errors;

namespace Replica.Environments.Hosting;

/// <summary>An on/off environment variable (REPLICA_RYUK, REPLICA_DOTNET_ASSEMBLIES_ONLY): anything else is bad input naming it.</summary>
public static class EnvironmentSwitch
{
    /// <summary>true, 1, yes or on: true; false, 0, no, off, empty or unset: false. <paramref name="text"/> defaults to the variable's value.</summary>
    public static bool Read(string variable, string? text = null)
    {
        text ??= Environment.GetEnvironmentVariable(variable);
        return text?.Trim().ToLowerInvariant() switch
        {
            null or "" or "false" or "0" or "no" or "off" => false,
            "true" or "1" or "yes" or "on" => true,
            _ => throw new ReplicaException($"{variable}: '{text}' is not a switch; expected true or false", kind: ReplicaErrorKind.BadInput),
        };
    }
}
