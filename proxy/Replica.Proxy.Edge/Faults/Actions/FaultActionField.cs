namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>
/// One field of an action's JSON body, as the parser accepts it and RULES.md documents it: its name, the values it
/// takes (type and limits), its default and what it means. An action reads only the fields its kind declares, and the
/// parser rejects every other field, naming the declared ones.
/// </summary>
/// <param name="Values">The values accepted, with their limits, e.g. "whole number 200–599".</param>
/// <param name="Meaning">What the field does, in a few words.</param>
public sealed record FaultActionField(string Name, string Values, string Meaning)
{
    /// <summary>True when a rule without the field is an error.</summary>
    public bool Required { get; init; }

    /// <summary>What an absent field means (e.g. "503"); null when the field is required or has no single default.</summary>
    public string? Default { get; init; }

    /// <summary>The field as one line of the docs, e.g. <c>`status` (required): whole number 200–599; the status answered</c>.</summary>
    public string Describe()
    {
        var head = Required ? $"`{Name}` (required)" : Default is null ? $"`{Name}`" : $"`{Name}` (default {Default})";
        return $"{head}: {Values}; {Meaning}";
    }
}
