namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>
/// The edge actions the rule JSON accepts, one registration line each. The parser knows no action that is not
/// listed (an unknown name is an error naming the known ones; there is no fallback), and a test fails for every
/// <see cref="FaultAction"/> type whose kind is missing here. RULES.md's tables of actions are generated from it.
/// </summary>
public sealed class FaultActionRegistry
{
    /// <summary>Every action of the edge proxy, in the order the docs list them.</summary>
    public static FaultActionRegistry BuiltIn { get; } = new([
        DelayAction.Definition,
        AbortAction.Definition,
        ResetAction.Definition,
        ColdStartGateAction.Definition,
        BandwidthAction.Definition,
        FrameDelayAction.Definition,
        FrameDropAction.Definition,
        FrameInjectAction.Definition,
        CloseAction.Definition,
    ]);

    private readonly Dictionary<string, FaultActionKind> _byName;

    private FaultActionRegistry(IReadOnlyList<FaultActionKind> kinds)
    {
        _byName = new Dictionary<string, FaultActionKind>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            if (!_byName.TryAdd(kind.Name, kind))
            {
                throw new ArgumentException($"two action kinds are named '{kind.Name}'", nameof(kinds));
            }
        }
        Kinds = kinds;
        Names = string.Join(", ", kinds.Select(k => k.Name));
    }

    /// <summary>The kinds in registration order.</summary>
    public IReadOnlyList<FaultActionKind> Kinds { get; }

    /// <summary>The names, comma-separated, as errors list them: "delay, abort, …".</summary>
    public string Names { get; }

    /// <summary>The kind named exactly <paramref name="name"/> (case-sensitive, as in the JSON), or null.</summary>
    public FaultActionKind? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>A registry with these kinds added after this one's (a name already taken is an <see cref="ArgumentException"/>).</summary>
    public FaultActionRegistry With(params FaultActionKind[] kinds) => new([.. Kinds, .. kinds]);
}
