using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Proxy.Tcp.Proxies;

/// <summary>
/// The proxies of one server, by name. Create, populate, delete and reset are serialised; reading is lock-free.
/// Toxicity draws come from one generator seeded with <see cref="Seed"/>, so a run with the same seed and the same
/// connection order draws the same.
/// </summary>
public sealed class ProxyCollection : IAsyncDisposable
{
    private readonly object sync = new();
    private readonly Random seeds;
    private ImmutableDictionary<string, TcpProxy> proxies = ImmutableDictionary.Create<string, TcpProxy>(StringComparer.Ordinal);

    // Proxies a populate is binding, not yet in the collection: their ports count as taken too.
    private volatile ImmutableList<TcpProxy> pending = [];

    /// <param name="time">The toxics' timers' clock (see <see cref="ToxiproxyServerOptions.TimeProvider"/>); null: the system clock.</param>
    public ProxyCollection(int seed, ILoggerFactory? loggerFactory = null, bool countTraffic = false, TimeProvider? time = null)
    {
        Seed = seed;
        Time = time ?? TimeProvider.System;
        seeds = new Random(seed);
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Replica.Proxy.Tcp.Toxiproxy");
        Metrics = countTraffic ? new TcpProxyMetrics() : null;
    }

    public int Seed { get; }

    /// <summary>The clock of startup_delay and timeout.</summary>
    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    /// <summary>Byte counters for /metrics; null unless traffic counting was asked for.</summary>
    internal TcpProxyMetrics? Metrics { get; }

    /// <summary>Every proxy, ordered by name.</summary>
    public IReadOnlyList<TcpProxy> List() => [.. proxies.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];

    public bool TryGet(string name, [NotNullWhen(true)] out TcpProxy? proxy) => proxies.TryGetValue(name, out proxy);

    public TcpProxy Get(string name) => TryGet(name, out var proxy) ? proxy : throw ToxiproxyException.ProxyNotFound();

    /// <summary>
    /// Creates a proxy with its toxics in place before it accepts a connection, and starts it when enabled.
    /// Errors: 400 missing name/upstream or a bad toxic, 409 name taken, 500 bind or resolve failure (nothing is kept).
    /// </summary>
    public TcpProxy Create(ProxyDefinition definition)
    {
        Require(definition, "");
        lock (sync)
        {
            if (proxies.ContainsKey(definition.Name))
            {
                throw new ToxiproxyException(409, "proxy already exists");
            }
            var proxy = Build(definition, CreateToxics(definition.Toxics, ""));
            if (definition.Enabled)
            {
                proxy.Start();
            }
            proxies = proxies.Add(proxy.Name, proxy);
            return proxy;
        }
    }

    /// <summary>
    /// Creates or replaces many proxies, all or nothing. Everything is validated first (names, upstreams, toxics,
    /// listen addresses; a name given twice is a 400). A proxy whose resolved listen and upstream are unchanged is kept
    /// as it is (its enabled state too), getting new toxics only when the definition lists at least one; a changed one
    /// is replaced. Then every new listener is bound; if one fails (500, the bind error), those bound are released,
    /// the proxies being replaced are started again, and nothing else has changed: the
    /// <see cref="PopulateException"/> lists no proxies. Only the connections of proxies being replaced are lost then
    /// (their port had to be freed for the replacement). Toxiproxy instead keeps the proxies before the failing one.
    /// </summary>
    public IReadOnlyList<TcpProxy> Populate(IReadOnlyList<ProxyDefinition> definitions)
    {
        var toxics = new ImmutableArray<Toxic>?[definitions.Count];
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < definitions.Count; i++)
        {
            var at = $" at proxy {i + 1}";
            Require(definitions[i], at);
            if (!first.TryAdd(definitions[i].Name, i))
            {
                throw ToxiproxyException.BadRequest($"proxy name {definitions[i].Name} is given twice, at proxy {first[definitions[i].Name] + 1} and proxy {i + 1}");
            }
            // An empty list counts as none: the Go client sends its proxies' "toxics" field back, often as [].
            toxics[i] = definitions[i].Toxics is { Count: > 0 } ? CreateToxics(definitions[i].Toxics, at) : null;
            if (definitions[i].Enabled && !ListenAddress.TryResolve(definitions[i].Listen ?? "", out _, out var listenError))
            {
                throw new PopulateException(new ToxiproxyException(500, "listen tcp: " + listenError), []);
            }
        }
        lock (sync)
        {
            // The plan: for each definition the proxy it keeps, or the new proxy and the one it replaces.
            var kept = new TcpProxy?[definitions.Count];
            var built = new TcpProxy?[definitions.Count];
            var replaced = new List<TcpProxy>();
            for (var i = 0; i < definitions.Count; i++)
            {
                if (proxies.TryGetValue(definitions[i].Name, out var existing))
                {
                    if (!existing.Differs(definitions[i].Listen ?? "", definitions[i].Upstream))
                    {
                        kept[i] = existing;
                        continue;
                    }
                    replaced.Add(existing);
                }
                built[i] = Build(definitions[i], toxics[i] ?? []);
            }
            Bind(definitions, built, replaced);
            // Commit: nothing below can fail.
            var result = new List<TcpProxy>(definitions.Count);
            for (var i = 0; i < definitions.Count; i++)
            {
                if (kept[i] is { } existing)
                {
                    if (toxics[i] is { } replacement)
                    {
                        existing.ReplaceDeclared(replacement);
                    }
                    result.Add(existing);
                }
                else
                {
                    proxies = proxies.SetItem(built[i]!.Name, built[i]!);
                    result.Add(built[i]!);
                }
            }
            return result;
        }
    }

    // Stops the proxies being replaced (their ports may be the new ones'), then starts every new enabled proxy. On a
    // failure, undoes both and throws: the collection is as before.
    private void Bind(IReadOnlyList<ProxyDefinition> definitions, TcpProxy?[] built, List<TcpProxy> replaced)
    {
        var wasEnabled = replaced.Where(p => p.Enabled).ToList();
        var started = new List<TcpProxy>();
        try
        {
            foreach (var old in replaced)
            {
                old.Stop();
            }
            for (var i = 0; i < built.Length; i++)
            {
                if (built[i] is { } proxy && definitions[i].Enabled)
                {
                    pending = pending.Add(proxy);
                    proxy.Start();
                    started.Add(proxy);
                }
            }
        }
        catch (ToxiproxyException e)
        {
            foreach (var proxy in started)
            {
                proxy.Stop();
            }
            foreach (var old in wasEnabled)
            {
                try
                {
                    old.Start();
                }
                catch (ToxiproxyException restart)
                {
                    Logger.LogWarning("populate failed and proxy {Proxy} could not be started again: {Error}", old.Name, restart.Message);
                }
            }
            throw new PopulateException(e, []);
        }
        finally
        {
            pending = [];
        }
    }

    /// <summary>Stops the proxy (port and connections closed) and forgets it with its toxics.</summary>
    public void Delete(string name)
    {
        lock (sync)
        {
            var proxy = Get(name);
            proxies = proxies.Remove(name);
            proxy.Stop();
        }
    }

    /// <summary>
    /// Starts every disabled proxy and puts back each proxy's declared toxics (none for proxies created through the
    /// Toxiproxy API), re-created now so their startup delays count from here. Open connections stay, except where a
    /// timeout toxic goes away. A start failure stops processing and is thrown (500).
    /// </summary>
    public void Reset()
    {
        lock (sync)
        {
            foreach (var proxy in List())
            {
                proxy.Start();
                proxy.ResetToxics();
            }
        }
    }

    /// <summary>Stops every proxy and waits until all their connections have ended.</summary>
    public async ValueTask DisposeAsync()
    {
        IEnumerable<TcpProxy> all;
        lock (sync)
        {
            all = proxies.Values;
            proxies = proxies.Clear();
        }
        await Task.WhenAll(all.Select(p => p.StopAsync()));
    }

    internal int NextSeed()
    {
        lock (seeds)
        {
            return seeds.Next();
        }
    }

    /// <summary>Whether another of these proxies holds the port. Needed because a refusing proxy binds without
    /// listening, and two such binds with SO_REUSEADDR do not conflict in the kernel.</summary>
    internal bool IsBoundByAnother(TcpProxy self, IPEndPoint requested)
    {
        foreach (var other in proxies.Values.Concat(pending))
        {
            if (other != self && other.ListenEndPoint is { } bound && bound.Port == requested.Port
                && (bound.Address.Equals(requested.Address) || IsWildcard(bound.Address) || IsWildcard(requested.Address)))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static void Require(ProxyDefinition definition, string at)
    {
        if (string.IsNullOrEmpty(definition.Name))
        {
            throw ToxiproxyException.BadRequest("missing required field: name" + at);
        }
        if (string.IsNullOrEmpty(definition.Upstream))
        {
            throw ToxiproxyException.BadRequest("missing required field: upstream" + at);
        }
        ResourceName.Check(definition.Name, "proxy", at);
    }

    private ImmutableArray<Toxic> CreateToxics(IReadOnlyList<ToxicSpec>? specs, string at)
    {
        var created = new List<Toxic>();
        for (var i = 0; i < (specs?.Count ?? 0); i++)
        {
            try
            {
                created.Add(Toxic.Create(specs![i], name => created.Any(t => t.Name == name), Time.GetTimestamp()));
            }
            catch (ToxiproxyException e)
            {
                throw new ToxiproxyException(e.StatusCode, $"{e.Message}{at} toxic {i + 1}");
            }
        }
        return TcpProxy.Order(created);
    }

    private TcpProxy Build(ProxyDefinition definition, ImmutableArray<Toxic> toxics) =>
        new(this, definition.Name, definition.Listen ?? "", definition.Upstream, toxics);
}
