using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Replica.Chaos.Toxiproxy.Toxics;

namespace Replica.Chaos.Toxiproxy.Proxies;

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

    public ProxyCollection(int seed, ILoggerFactory? loggerFactory = null, bool countTraffic = false)
    {
        Seed = seed;
        seeds = new Random(seed);
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Replica.Chaos.Toxiproxy");
        Metrics = countTraffic ? new ProxyMetrics() : null;
    }

    public int Seed { get; }

    internal ILogger Logger { get; }

    /// <summary>Byte counters for /metrics; null unless traffic counting was asked for.</summary>
    internal ProxyMetrics? Metrics { get; }

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
    /// Creates or replaces many proxies, in order. Everything is validated first (nothing changes on a 400); a proxy
    /// whose resolved listen and upstream are unchanged is kept as it is (its enabled state too), getting new toxics
    /// only when the definition lists at least one; a changed one is replaced. A bind failure stops processing: the proxies
    /// before it stay and are listed in the <see cref="PopulateException"/>.
    /// </summary>
    public IReadOnlyList<TcpProxy> Populate(IReadOnlyList<ProxyDefinition> definitions)
    {
        var toxics = new ImmutableArray<Toxic>?[definitions.Count];
        for (var i = 0; i < definitions.Count; i++)
        {
            var at = $" at proxy {i + 1}";
            Require(definitions[i], at);
            // An empty list counts as none: the Go client sends its proxies' "toxics" field back, often as [].
            toxics[i] = definitions[i].Toxics is { Count: > 0 } ? CreateToxics(definitions[i].Toxics, at) : null;
        }
        lock (sync)
        {
            var processed = new List<TcpProxy>();
            try
            {
                for (var i = 0; i < definitions.Count; i++)
                {
                    var definition = definitions[i];
                    if (proxies.TryGetValue(definition.Name, out var existing))
                    {
                        if (!existing.Differs(definition.Listen, definition.Upstream))
                        {
                            if (toxics[i] is { } replacement)
                            {
                                existing.ReplaceDeclared(replacement);
                            }
                            processed.Add(existing);
                            continue;
                        }
                        existing.Stop();
                        proxies = proxies.Remove(existing.Name);
                    }
                    var proxy = Build(definition, toxics[i] ?? []);
                    if (definition.Enabled)
                    {
                        proxy.Start();
                    }
                    proxies = proxies.Add(proxy.Name, proxy);
                    processed.Add(proxy);
                }
            }
            catch (ToxiproxyException e)
            {
                throw new PopulateException(e, processed);
            }
            return processed;
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
        foreach (var other in proxies.Values)
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
    }

    private static ImmutableArray<Toxic> CreateToxics(IReadOnlyList<ToxicSpec>? specs, string at)
    {
        var created = new List<Toxic>();
        for (var i = 0; i < (specs?.Count ?? 0); i++)
        {
            try
            {
                created.Add(Toxic.Create(specs![i], name => created.Any(t => t.Name == name)));
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
