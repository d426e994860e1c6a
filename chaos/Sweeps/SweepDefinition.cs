namespace Replica.Chaos.Sweeps;

/// <summary>
/// A sweep as written, before it is checked against the scenario: from the command line (<c>--vary PATH=RANGE</c>)
/// or from the scenario's <c>sweeps:</c>. <c>Where</c> fields say how errors name their source: the flag, or file:line.
/// </summary>
public sealed record SweepDefinition(
    string? Name,
    string? Description,
    IReadOnlyList<SweepDefinition.Vary> Varies,
    int? Runs,
    IReadOnlyList<string>? Variants,
    IReadOnlyList<SweepDefinition.Expect> Expectations)
{
    /// <summary>Values the sweep holds fixed while it varies the others (<c>set:</c>, PATH: VALUE), e.g. Redis 1 s late.</summary>
    public IReadOnlyList<Vary> Sets { get; init; } = [];

    /// <summary>What the first axis means, in words, for the chart (<c>label:</c>), e.g. "Redis lateness after the first client".</summary>
    public string? Label { get; init; }

    /// <summary>One <c>PATH=RANGE</c>.</summary>
    public sealed record Vary(string Path, string Range, string Where);

    /// <summary>One <c>expect: { VARIANT: { KEY: VALUE } }</c> entry.</summary>
    public sealed record Expect(string Variant, string Key, string Value, string Where);

    /// <summary>Reads <c>--vary PATH=RANGE</c> values.</summary>
    public static SweepDefinition FromFlags(IReadOnlyList<string> varies, int? runs, IReadOnlyList<string>? variants) =>
        new(null, null, varies.Select(v =>
        {
            var equals = v.IndexOf('=');
            if (equals <= 0)
            {
                throw new Replica.Environments.Errors.ReplicaException($"--vary {v}: expected PATH=RANGE, e.g. timeline[3].after=auto:0ms..2s",
                    kind: Replica.Environments.Errors.ReplicaErrorKind.BadInput);
            }
            return new Vary(v[..equals].Trim(), v[(equals + 1)..].Trim(), $"--vary {v}");
        }).ToList(), runs, variants, []);
}
