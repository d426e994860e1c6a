using System.Text;

namespace Replica.Chaos.Verification;

/// <summary>
/// Seeds derived from a scenario's seed: one per run (variant and run index) and one per environment copy. The
/// derivation is a fixed function (FNV-1a over the inputs, then SplitMix64's finaliser), never <c>string.GetHashCode</c>,
/// so two processes on two machines derive the same seeds: what makes shards reproducible.
/// </summary>
public static class RunSeeds
{
    /// <summary>The seed of run <paramref name="index"/> (1-based) of <paramref name="variant"/>: positive, below 2³¹.</summary>
    public static long For(long scenarioSeed, string variant, int index) => Derive(scenarioSeed, $"run/{variant}/{index}");

    /// <summary>The seed of copy <paramref name="copy"/> (1-based) of the environment: its proxies' random sources.</summary>
    public static int ForCopy(long scenarioSeed, int copy) => copy == 1 ? (int)scenarioSeed : (int)Derive(scenarioSeed, $"copy/{copy}");

    private static long Derive(long seed, string what)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in BitConverter.GetBytes(seed).Concat(Encoding.UTF8.GetBytes(what)))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return (long)(hash % (int.MaxValue - 1)) + 1;
    }
}
