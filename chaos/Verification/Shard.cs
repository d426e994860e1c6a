using Replica.Environments.Errors;

namespace Replica.Chaos.Verification;

/// <summary>
/// The share of a verify that one machine runs (<c>--shard i/n</c>): of every variant's runs 1..N, those whose index
/// is i modulo n (runs i, i+n, i+2n, …). Shards 1..n are disjoint and together are every run, whatever N is, and a
/// run keeps its index (and so its seed) in whichever shard carries it out.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole verify: one shard of one.</summary>
    public static readonly Shard All = new(1, 1);

    public bool IsAll => Count == 1;

    public bool Includes(int runIndex) => (runIndex - 1) % Count == Index - 1;

    /// <summary>The runs of <paramref name="variants"/> this shard carries out, variant after variant, each in index order.</summary>
    public IReadOnlyList<PlannedRun> Plan(IEnumerable<Scenarios.ScenarioVariant> variants, int runsPerVariant) =>
        variants.SelectMany(v => Enumerable.Range(1, runsPerVariant).Where(Includes).Select(i => new PlannedRun(v, i))).ToList();

    /// <summary>Reads "i/n" (1 ≤ i ≤ n); anything else is bad input naming <paramref name="option"/>.</summary>
    public static Shard Parse(string text, string option = "--shard")
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index >= 1 && index <= count)
        {
            return new Shard(index, count);
        }
        throw new ReplicaException($"{option}: expected i/n with 1 ≤ i ≤ n (e.g. 2/3), found '{text}'", kind: ReplicaErrorKind.BadInput);
    }

    public override string ToString() => $"{Index}/{Count}";
}
