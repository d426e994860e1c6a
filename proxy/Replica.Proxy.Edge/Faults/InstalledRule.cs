namespace Replica.Proxy.Edge.Faults;

/// <summary>
/// A rule as the proxy holds it: the value, when it was added, its own random stream (seeded from the proxy's seed
/// and the rule id, so that one rule's sequence does not depend on what other rules drew), and its counter.
/// </summary>
internal sealed class InstalledRule
{
    private readonly Random _random;
    private readonly CancellationTokenSource _removed = new();
    private long _injected;

    public InstalledRule(FaultRule rule, long addedAt, int proxySeed)
    {
        Rule = rule;
        Id = rule.Id!;
        AddedAt = addedAt;
        _random = new Random(SeedFor(proxySeed, Id));
    }

    public FaultRule Rule { get; }

    public string Id { get; }

    public long AddedAt { get; }

    public long Injected => Interlocked.Read(ref _injected);

    /// <summary>Cancelled when the rule is removed, so that held requests are released at once.</summary>
    public CancellationToken Removed => _removed.Token;

    public bool IsActive(ProxyClock clock)
    {
        var window = Rule.Window;
        if (ReferenceEquals(window, FaultWindow.Always))
        {
            return true;
        }
        var origin = window.From == ClockOrigin.Proxy ? clock.StartedAt : AddedAt;
        return window.Contains(clock.Time.GetElapsedTime(origin));
    }

    /// <summary>Draws whether the rule fires this time; probabilities 0 and 1 draw nothing.</summary>
    public bool Roll()
    {
        var p = Rule.Probability;
        return p >= 1 || (p > 0 && NextUnit() < p);
    }

    public double NextUnit()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
    }

    public void CountInjected() => Interlocked.Increment(ref _injected);

    // Not disposed: requests held by a gate may still be linked to it, and it owns no timer.
    public void MarkRemoved() => _removed.Cancel();

    // FNV-1a over the seed and the id: stable across processes and runtimes, unlike string.GetHashCode.
    private static int SeedFor(int proxySeed, string id)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in BitConverter.GetBytes(proxySeed))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        foreach (var c in id)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return (int)(hash ^ (hash >> 32));
    }
}
