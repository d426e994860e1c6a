using Replica.Proxy.Edge.Client;

namespace Replica.Bench.EdgeProxy;

/// <summary>Up to 20 rules that the benchmark traffic never matches, of every kind of match, so each request pays for checking them.</summary>
internal static class IdleRules
{
    public static async Task InstallAsync(Uri adminUrl, int count, CancellationToken cancellationToken)
    {
        var rules = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            rules.Add(Numbered("""{"match":{"path":"/never/#/**"},"action":{"abort":{"status":503}}}""", i));
            rules.Add(Numbered("""{"match":{"headers":{"X-Never-#":"*"}},"action":{"delay":{"ms":100}}}""", i));
            rules.Add(Numbered("""{"match":{"route":"nope-#","method":"POST"},"action":{"reset":{}}}""", i));
            rules.Add(Numbered("""{"match":{"path":"/ws/never/#"},"action":{"frameDrop":{"frame":{"type":"x"}}}}""", i));
        }
        if (count == 0)
        {
            return;
        }
        using var admin = new EdgeProxyAdminClient(adminUrl);
        var added = await admin.AddJsonAsync($"[{string.Join(",", rules.Take(count))}]", cancellationToken);
        if (added.Count != count)
        {
            throw new InvalidOperationException($"expected {count} rules, the proxy has {added.Count}");
        }
    }

    private static string Numbered(string rule, int i) => rule.Replace("#", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
