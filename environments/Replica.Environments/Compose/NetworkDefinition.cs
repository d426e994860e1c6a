using Replica.Environments.Errors;

namespace Replica.Environments.Compose;

/// <summary>
/// `x-replica.network`: the profile compose.yaml selects (null: none) and the profiles it declares beside the
/// shipped ones (<see cref="NetworkProfiles.Shipped"/>).
/// </summary>
public sealed record NetworkDefinition(string? Profile, SourceLocation? ProfileLocation, IReadOnlyList<NetworkProfile> Declared)
{
    public static NetworkDefinition Default { get; } = new(null, null, []);

    /// <summary>Every profile a name may select: the shipped ones, then the declared ones.</summary>
    public IReadOnlyList<NetworkProfile> Known => [.. NetworkProfiles.Shipped, .. Declared];

    public NetworkProfile? Find(string name) => Known.FirstOrDefault(p => p.Name == name);

    /// <summary>
    /// The profile <paramref name="requested"/> names (a command-line option or a scenario overriding the file), else
    /// the one the file selects, else <see cref="NetworkProfiles.None"/>.
    /// </summary>
    /// <exception cref="ReplicaException">Exit code 2, naming <paramref name="setting"/> and the profiles there are.</exception>
    public NetworkProfile Select(string? requested, string setting)
    {
        var name = requested ?? Profile;
        if (name is null)
        {
            return NetworkProfiles.None;
        }
        return Find(name) ?? throw new ReplicaException(UnknownProfile(name, setting), kind: ReplicaErrorKind.BadInput);
    }

    /// <summary>"SETTING: unknown network profile 'X' (did you mean …?); known: none, staging, …".</summary>
    public string UnknownProfile(string name, string setting) =>
        $"{setting}: unknown network profile '{name}'{KeySuggestion.For(name, Known.Select(p => p.Name))}; known: {string.Join(", ", Known.Select(p => p.Name))}";
}
