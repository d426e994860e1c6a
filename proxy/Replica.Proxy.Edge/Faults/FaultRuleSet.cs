namespace Replica.Proxy.Edge.Faults;

/// <summary>
/// The live set of rules. Traffic reads an immutable snapshot without locking; add, remove and clear build a new
/// snapshot and swap it in, so changing rules never blocks a request or a frame in flight.
/// </summary>
public sealed class FaultRuleSet
{
    private readonly object _writeGate = new();
    private readonly ProxyClock _clock;
    private readonly int _seed;
    private readonly long _tickOrigin;
    private readonly DateTimeOffset _wallOrigin;
    private RuleSnapshot _rules = RuleSnapshot.Empty;
    private long _nextId;

    internal FaultRuleSet(ProxyClock clock, int seed)
    {
        _clock = clock;
        _seed = seed;
        _tickOrigin = clock.Time.GetTimestamp();
        _wallOrigin = clock.Time.GetUtcNow();
    }

    /// <summary>Raised after every change, outside the write lock; open WebSocket sessions re-plan their timers.</summary>
    internal event Action? Changed;

    internal RuleSnapshot Snapshot => Volatile.Read(ref _rules);

    public int Count => Snapshot.All.Length;

    /// <summary>Adds a rule and returns it with its id (assigned when the rule has none).</summary>
    /// <exception cref="ArgumentException">A rule with the same id is already installed.</exception>
    public FaultRule Add(FaultRule rule) => AddRange([rule])[0];

    /// <summary>Adds several rules at once: all of them or, if one id is taken or one rule is invalid, none.</summary>
    /// <exception cref="ArgumentException">A rule is invalid (<see cref="FaultRule.Validate"/>; the message lists every error), or an id is taken.</exception>
    public IReadOnlyList<FaultRule> AddRange(IReadOnlyList<FaultRule> rules)
    {
        var invalid = rules
            .SelectMany((rule, index) => rule.Validate().Select(e => $"rule {(rule.Id is null ? $"[{index}]" : $"'{rule.Id}'")}: {e}"))
            .ToList();
        if (invalid.Count > 0)
        {
            throw new ArgumentException($"invalid fault rule; nothing was applied: {string.Join("; ", invalid)}", nameof(rules));
        }
        var added = new List<InstalledRule>(rules.Count);
        lock (_writeGate)
        {
            var current = _rules.All;
            var ids = new HashSet<string>(current.Select(r => r.Id), StringComparer.Ordinal);
            var now = _clock.Time.GetTimestamp();
            foreach (var rule in rules)
            {
                var id = rule.Id ?? NewId(ids);
                if (!ids.Add(id))
                {
                    throw new ArgumentException($"a rule with id '{id}' already exists", nameof(rules));
                }
                added.Add(new InstalledRule(rule with { Id = id }, now, _seed));
            }
            Volatile.Write(ref _rules, new RuleSnapshot([.. current, .. added]));
        }
        Changed?.Invoke();
        return added.Select(r => r.Rule).ToList();
    }

    public bool Remove(string id)
    {
        InstalledRule? removed;
        lock (_writeGate)
        {
            removed = _rules.All.FirstOrDefault(r => r.Id == id);
            if (removed is null)
            {
                return false;
            }
            Volatile.Write(ref _rules, new RuleSnapshot(_rules.All.Where(r => r != removed).ToArray()));
        }
        removed.MarkRemoved();
        Changed?.Invoke();
        return true;
    }

    /// <summary>Removes every rule; returns how many there were.</summary>
    public int Clear()
    {
        InstalledRule[] removed;
        lock (_writeGate)
        {
            removed = _rules.All;
            Volatile.Write(ref _rules, RuleSnapshot.Empty);
        }
        foreach (var rule in removed)
        {
            rule.MarkRemoved();
        }
        Changed?.Invoke();
        return removed.Length;
    }

    /// <summary>The rules in the order they were added. <c>AddedAt</c> is the same in every listing: wall time
    /// is read once, when the set is made, and each rule's time is counted from there on the proxy's clock.</summary>
    public IReadOnlyList<FaultRuleStatus> List()
        => Snapshot.All
            .Select(r => new FaultRuleStatus(r.Rule, _wallOrigin + _clock.Time.GetElapsedTime(_tickOrigin, r.AddedAt), r.Injected))
            .ToList();

    private string NewId(HashSet<string> taken)
    {
        string id;
        do
        {
            id = $"r{Interlocked.Increment(ref _nextId)}";
        }
        while (taken.Contains(id));
        return id;
    }
}
