using System.Globalization;
using System.Net;
using DotNet.Testcontainers.Containers;
using Replica.Chaos.Faults;
using Replica.Environments.Docker;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Testing.Containers;

/// <summary>
/// A TCP fault proxy in front of a Testcontainers container's port (or any host:port), in this process: Replica's
/// Toxiproxy-compatible proxy, with no container of its own. Hand <see cref="Endpoint"/> to the code under test
/// instead of the container's address; every connection then crosses the proxy, and toxics added with
/// <c>using</c> act on it until their scope ends:
/// <code>
/// await using var proxy = await TcpFaultProxy.StartAsync(redis, RedisBuilder.RedisPort);
/// var connection = await ConnectionMultiplexer.ConnectAsync(proxy.Endpoint);
/// using (proxy.AddLatency(TimeSpan.FromMilliseconds(200)))
/// {
///     // every answer from Redis now arrives 200 ms later
/// }
/// </code>
/// Toxics act on open connections too, from the next chunk of data on. Disposing the proxy closes its port and every
/// connection through it; the container is left as it is.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly ProxyCollection collection;
    private readonly IPEndPoint listenEndPoint;
    private int disposed;

    private TcpFaultProxy(ProxyCollection collection, TcpProxy proxy)
    {
        this.collection = collection;
        Proxy = proxy;
        listenEndPoint = proxy.ListenEndPoint!;
    }

    /// <summary>The proxy's name in log lines.</summary>
    public string Name => Proxy.Name;

    /// <summary>The address the proxy listens on, e.g. <c>127.0.0.1</c>.</summary>
    public string Host => listenEndPoint.Address.ToString();

    /// <summary>The port the proxy listens on (the same for its whole life, also across <see cref="Disable"/>).</summary>
    public int Port => listenEndPoint.Port;

    /// <summary>Where the code under test connects: <c>host:port</c> of the proxy, e.g. <c>127.0.0.1:41234</c>.</summary>
    public string Endpoint => ListenAddressText(listenEndPoint);

    /// <summary>Where the proxy connects for each connection it accepts: the container's published port on the host.</summary>
    public string Upstream => Proxy.Upstream;

    /// <summary>
    /// The proxy itself, for everything Toxiproxy can do beyond this class's helpers: its state, every toxic,
    /// <see cref="TcpProxy.UpdateToxic"/>, <see cref="TcpProxy.Update"/>. Changes made here are not undone by a scope.
    /// </summary>
    public TcpProxy Proxy { get; }

    /// <summary>
    /// Starts a proxy in front of <paramref name="containerPort"/> of a running <paramref name="container"/>, forwarding
    /// to the port Docker published for it on the host. Also makes sure Testcontainers is configured for the local
    /// engine (<see cref="TestcontainersConfiguration"/>), which matters for the containers built after this call.
    /// </summary>
    /// <param name="container">A started container.</param>
    /// <param name="containerPort">The port inside the container (e.g. 6379), published by the container's builder.</param>
    /// <exception cref="ArgumentException">the container is not running, the port is out of range or not published, or the options are invalid</exception>
    /// <exception cref="ToxiproxyException">the listen port is taken</exception>
    public static async Task<TcpFaultProxy> StartAsync(IContainer container, int containerPort, TcpFaultProxyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        RequirePort(containerPort, nameof(containerPort), "a port inside the container");
        options ??= new TcpFaultProxyOptions();
        Validate(options);
        await TestcontainersConfiguration.EnsureConfiguredAsync(cancellationToken);
        if (container.State != TestcontainersStates.Running)
        {
            throw new ArgumentException(
                $"container {container.Image.FullName} is not running (state {container.State}): start it (await container.StartAsync()) before putting a proxy in front of it",
                nameof(container));
        }
        ushort published;
        try
        {
            published = container.GetMappedPublicPort(containerPort);
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException(
                $"container {container.Image.FullName} publishes no port {containerPort}: publish it with WithPortBinding({containerPort}, true) on its builder",
                nameof(containerPort), e);
        }
        var upstream = $"{container.Hostname}:{published}";
        var name = options.Name ?? $"{LastSegment(container.Image.Repository)}_{containerPort}";
        return Start(name, upstream, options);
    }

    /// <summary>Starts a proxy in front of any TCP endpoint <paramref name="upstream"/>, written <c>host:port</c>.</summary>
    /// <exception cref="ArgumentException">upstream is not host:port with a port from 1 to 65535, or the options are invalid</exception>
    /// <exception cref="ToxiproxyException">the listen port is taken</exception>
    public static Task<TcpFaultProxy> StartAsync(string upstream, TcpFaultProxyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(upstream);
        var separator = upstream.LastIndexOf(':');
        if (separator <= 0 || !int.TryParse(upstream.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"upstream \"{upstream}\": expected host:port with a port from 1 to 65535, e.g. 127.0.0.1:6379", nameof(upstream));
        }
        options ??= new TcpFaultProxyOptions();
        Validate(options);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Start(options.Name ?? $"upstream_{port}", upstream, options));
    }

    /// <summary>Adds any toxic (<see cref="ToxicKinds.Names"/>); without a name it gets <c>type_stream</c>, numbered when taken.</summary>
    /// <exception cref="ArgumentException">the toxic's type, stream, toxicity or an attribute is invalid (nothing is added)</exception>
    public ScopedToxic AddToxic(ToxicSpec toxic)
    {
        ArgumentNullException.ThrowIfNull(toxic);
        ThrowIfDisposed();
        try
        {
            Toxic.Validate(toxic);
        }
        catch (ToxiproxyException e)
        {
            var expected = ToxicKinds.Names.Contains(toxic.Type) ? "" : $" (expected one of {string.Join(", ", ToxicKinds.Names)})";
            throw new ArgumentException($"toxic {toxic.Type}: {e.Message}{expected}", nameof(toxic), e);
        }
        if (toxic.Name is not null)
        {
            return new ScopedToxic(Proxy, Proxy.AddToxic(toxic));
        }
        var stem = $"{toxic.Type}_{toxic.Stream ?? "downstream"}";
        for (var number = 1; ; number++)
        {
            var name = number == 1 ? stem : $"{stem}_{number}";
            if (Proxy.Toxics.Any(t => t.Name == name))
            {
                continue;
            }
            try
            {
                return new ScopedToxic(Proxy, Proxy.AddToxic(toxic with { Name = name }));
            }
            catch (ToxiproxyException e) when (e.StatusCode == 409)
            {
                // Taken between the look and the add (another thread): try the next number.
            }
        }
    }

    /// <summary>Delays each piece of data by <paramref name="latency"/> ± <paramref name="jitter"/>; on responses by default.</summary>
    public ScopedToxic AddLatency(TimeSpan latency, TimeSpan jitter = default, ToxicDirection direction = ToxicDirection.Downstream, float toxicity = 1) =>
        AddToxic(Spec("latency", direction, toxicity, ("latency", Milliseconds(latency, nameof(latency))), ("jitter", Milliseconds(jitter, nameof(jitter)))));

    /// <summary>Limits the rate to <paramref name="kilobytesPerSecond"/> (1 KB = 1000 bytes); 0 holds all data until the scope ends.</summary>
    public ScopedToxic AddBandwidth(long kilobytesPerSecond, ToxicDirection direction = ToxicDirection.Downstream, float toxicity = 1) =>
        AddToxic(Spec("bandwidth", direction, toxicity, ("rate", NotNegative(kilobytesPerSecond, nameof(kilobytesPerSecond)))));

    /// <summary>Drops the data; closes the connection after <paramref name="timeout"/> without data (never when zero).</summary>
    public ScopedToxic AddTimeout(TimeSpan timeout, ToxicDirection direction = ToxicDirection.Downstream, float toxicity = 1) =>
        AddToxic(Spec("timeout", direction, toxicity, ("timeout", Milliseconds(timeout, nameof(timeout)))));

    /// <summary>Resets the connection (TCP RST both ways) <paramref name="after"/> its next data or close.</summary>
    public ScopedToxic AddResetPeer(TimeSpan after, ToxicDirection direction = ToxicDirection.Downstream, float toxicity = 1) =>
        AddToxic(Spec("reset_peer", direction, toxicity, ("timeout", Milliseconds(after, nameof(after)))));

    /// <summary>Lets the data through but delays the close by <paramref name="delay"/>.</summary>
    public ScopedToxic AddSlowClose(TimeSpan delay, ToxicDirection direction = ToxicDirection.Downstream, float toxicity = 1) =>
        AddToxic(Spec("slow_close", direction, toxicity, ("delay", Milliseconds(delay, nameof(delay)))));

    /// <summary>Lets <paramref name="bytes"/> through per connection, then closes it.</summary>
    public ScopedToxic AddLimitData(long bytes, ToxicDirection direction = ToxicDirection.Downstream, float toxicity = 1) =>
        AddToxic(Spec("limit_data", direction, toxicity, ("bytes", NotNegative(bytes, nameof(bytes)))));

    /// <summary>
    /// Takes the proxy down, as Toxiproxy's <c>enabled: false</c>: the port refuses connections and every open one is
    /// closed, until the handle is disposed (the proxy then listens on the same port again).
    /// </summary>
    public FaultHandle Disable()
    {
        ThrowIfDisposed();
        Proxy.Update(new ProxyUpdate { Enabled = false });
        return new FaultHandle($"{Name} disabled", () =>
        {
            if (Volatile.Read(ref disposed) == 0)
            {
                Proxy.Update(new ProxyUpdate { Enabled = true });
            }
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Closes the port and every connection through it, and waits until they have ended. Harmless twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            await collection.DisposeAsync();
        }
    }

    public override string ToString() => $"{Name}: {Endpoint} → {Upstream}";

    private static TcpFaultProxy Start(string name, string upstream, TcpFaultProxyOptions options)
    {
        var collection = new ProxyCollection(options.Seed ?? Random.Shared.Next(), options.LoggerFactory);
        var listen = ListenAddressText(new IPEndPoint(ListenAddress(options.ListenHost), options.ListenPort));
        var proxy = collection.Create(new ProxyDefinition(name, listen, upstream));
        return new TcpFaultProxy(collection, proxy);
    }

    private static void Validate(TcpFaultProxyOptions options)
    {
        if (options.ListenPort is < 0 or > 65535)
        {
            throw new ArgumentException($"options.ListenPort {options.ListenPort}: expected 0 to 65535 (0 picks a free port)", nameof(options));
        }
        var isAddress = IPAddress.TryParse(options.ListenHost, out var address);
        if (!isAddress && !string.Equals(options.ListenHost, "localhost", StringComparison.OrdinalIgnoreCase)
            || address is not null && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
        {
            throw new ArgumentException($"options.ListenHost \"{options.ListenHost}\": expected an IP address of this machine (not a wildcard) or localhost, e.g. 127.0.0.1", nameof(options));
        }
        if (options.Name is { } name && string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("options.Name is blank: give a name, or null for the default", nameof(options));
        }
    }

    private static IPAddress ListenAddress(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(host);

    private static string ListenAddressText(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? ListenAddressText(new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port)) : endPoint.ToString();

    private static void RequirePort(int port, string parameter, string what)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(parameter, port, $"expected {what}, 1 to 65535");
        }
    }

    private static long Milliseconds(TimeSpan value, string parameter)
    {
        if (value < TimeSpan.Zero || value.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(parameter, value, "expected whole milliseconds, zero or more (Toxiproxy counts in milliseconds)");
        }
        return (long)value.TotalMilliseconds;
    }

    private static long NotNegative(long value, string parameter) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(parameter, value, "expected zero or more");

    private static ToxicSpec Spec(string type, ToxicDirection direction, float toxicity, params (string Name, long Value)[] attributes)
    {
        if (!Enum.IsDefined(direction))
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, "expected Upstream or Downstream");
        }
        if (float.IsNaN(toxicity) || toxicity is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(toxicity), toxicity, "expected a probability from 0 to 1");
        }
        return new ToxicSpec(type)
        {
            Stream = direction == ToxicDirection.Upstream ? "upstream" : "downstream",
            Toxicity = toxicity,
            Attributes = attributes.ToDictionary(a => a.Name, a => (object?)a.Value),
        };
    }

    private static string LastSegment(string repository) => repository[(repository.LastIndexOf('/') + 1)..];

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
}
