namespace Replica.Environments.Compose;

/// <summary>"did you mean …?" for a mistyped key or name: the closest known word within edit distance 2.</summary>
public static class KeySuggestion
{
    public static string For(string typed, IEnumerable<string> known)
    {
        var best = known
            .Select(k => (Key: k, Distance: Distance(typed.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(x => x.Distance <= 2)
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        return best.Key is null ? "" : $" (did you mean '{best.Key}'?)";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }
        return d[a.Length, b.Length];
    }
}
