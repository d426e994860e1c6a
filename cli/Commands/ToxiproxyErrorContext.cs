using Replica.Environments.Compose;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Client;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Cli.Commands;

/// <summary>
/// Toxiproxy's API answers "proxy not found", "toxic not found" and "invalid toxic type" without the name it did not
/// find, and its clients match that exact text, so the server keeps it. The CLI keeps it too, and adds the name it was
/// given and the names there are (read from the same API), so a typo can be fixed from the message alone.
/// </summary>
internal static class ToxiproxyErrorContext
{
    /// <summary>Runs <paramref name="call"/>; one of the three errors above comes back with the names added.</summary>
    public static async Task<T> ExplainAsync<T>(
        ToxiproxyClient client, string proxy, Func<Task<T>> call, CancellationToken cancellationToken, string? toxic = null, string? type = null)
    {
        try
        {
            return await call();
        }
        catch (ToxiproxyException e) when (e.Message is "proxy not found" or "toxic not found" or "invalid toxic type")
        {
            throw new ToxiproxyException(e.StatusCode, await DescribeAsync(client, e.Message, proxy, toxic, type, cancellationToken), e.Hint, e);
        }
    }

    /// <summary>The same, for a call that returns nothing.</summary>
    public static Task ExplainAsync(
        ToxiproxyClient client, string proxy, Func<Task> call, CancellationToken cancellationToken, string? toxic = null) =>
        ExplainAsync(client, proxy, async () =>
        {
            await call();
            return true;
        }, cancellationToken, toxic);

    private static async Task<string> DescribeAsync(
        ToxiproxyClient client, string message, string proxy, string? toxic, string? type, CancellationToken cancellationToken)
    {
        try
        {
            switch (message)
            {
                case "proxy not found":
                    var proxies = (await client.GetProxiesAsync(cancellationToken)).Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                    return $"{message}: '{proxy}'{KeySuggestion.For(proxy, proxies)}; proxies: {Names(proxies)}";
                case "toxic not found" when toxic is not null:
                    var toxics = (await client.GetProxyAsync(proxy, cancellationToken)).Toxics.Select(t => t.Name).ToList();
                    return $"{message}: '{toxic}' on {proxy}{KeySuggestion.For(toxic, toxics)}; its toxics: {Names(toxics)}";
                case "invalid toxic type" when type is not null:
                    return $"{message}: '{type}'{KeySuggestion.For(type, ToxicKinds.Names)}; types: {Names(ToxicKinds.Names)}";
            }
        }
        catch (Exception ex) when (ex is ToxiproxyException or ToxiproxyUnavailableException)
        {
            // The names could not be read: the server's own message still says what went wrong.
        }
        return message;
    }

    private static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
