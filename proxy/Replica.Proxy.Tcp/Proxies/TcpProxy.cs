using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Replica.Proxy.Tcp.Network;
using Replica.Proxy.Tcp.Network.Timing;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Proxy.Tcp.Proxies;

/// <summary>
/// A TCP proxy with its toxics. Every change (toxics, listen, upstream, enabled) is applied under one lock and
/// published as a new immutable <see cref="ProxyState"/>; open connections pick up toxic changes between two chunks.
/// </summary>
public sealed class TcpProxy
{
    private readonly object sync = new();
    private readonly HashSet<ProxyConnection> connections = [];
    private readonly ProxyCollection owner;
    private volatile ProxyState state;
    private volatile LinkShape network = LinkShape.None;
    private volatile IPEndPoint? boundEndPoint;
    private ImmutableArray<Toxic> declared;
    private ProxyListener? listener;
    private TaskCompletionSource toxicsChanged = NewSignal();
    private ITimer? gateTimer;
    private TimeProvider? gateTimerClock;
    private long startedAt;
    private long connectionIds;

    internal TcpProxy(ProxyCollection owner, string name, string listen, string upstream, ImmutableArray<Toxic> toxics)
    {
        this.owner = owner;
        Logger = owner.Logger;
        declared = toxics;
        state = new ProxyState(name, listen, upstream, false, toxics);
    }

    public string Name => state.Name;

    public string Listen => state.Listen;

    public string Upstream => state.Upstream;

    public bool Enabled => state.Enabled;

    public ImmutableArray<Toxic> Toxics => state.Toxics;

    /// <summary>Everything above, read at once.</summary>
    public ProxyState State => state;

    /// <summary>
    /// The shape of the path this proxy stands on (an environment's network profile for dependency edges): every chunk
    /// crosses it after the toxics, and a new connection's upstream connect waits out one round trip. Not a toxic: the
    /// API does not show it and /reset keeps it. <see cref="LinkShape.None"/> by default.
    /// </summary>
    public LinkShape Network => network;

    /// <summary>Gives the proxy a network shape; open connections take it between two chunks.</summary>
    /// <exception cref="ArgumentException">The shape is invalid.</exception>
    public void SetNetwork(LinkShape shape)
    {
        if (shape.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException($"network: {string.Join("; ", errors)}", nameof(shape));
        }
        lock (sync)
        {
            network = shape;
            foreach (var connection in connections.ToArray())
            {
                connection.OnToxicsChanged();
            }
        }
    }

    /// <summary>The bound address while enabled (also while a startup_delay refuses connections); null when disabled.</summary>
    public IPEndPoint? ListenEndPoint => boundEndPoint;

    internal ILogger Logger { get; }

    /// <summary>The clock of startup_delay and timeout (the collection's).</summary>
    internal TimeProvider Time => owner.Time;

    public Toxic GetToxic(string name) => Find(state.Toxics, name) ?? throw ToxiproxyException.ToxicNotFound();

    /// <summary>Adds a toxic at the end of its direction's chain; it applies at once to open connections too.</summary>
    public Toxic AddToxic(ToxicSpec spec)
    {
        lock (sync)
        {
            var toxics = state.Toxics;
            var toxic = Toxic.Create(spec, name => Find(toxics, name) is not null, Time.GetTimestamp());
            PublishToxics(Order(toxics.Add(toxic)), closeConnections: false);
            return toxic;
        }
    }

    /// <summary>Merges attributes and replaces toxicity; open connections redraw the toxic and use the new values.</summary>
    public Toxic UpdateToxic(string name, ToxicUpdate update)
    {
        lock (sync)
        {
            var existing = GetToxic(name);
            var updated = existing.Apply(update, Time.GetTimestamp());
            PublishToxics(state.Toxics.Replace(existing, updated), closeConnections: false);
            return updated;
        }
    }

    /// <summary>Removes a toxic; data it holds flows on. Removing a timeout closes the proxy's connections, as in Toxiproxy:
    /// their streams have lost data.</summary>
    public void RemoveToxic(string name)
    {
        lock (sync)
        {
            var existing = GetToxic(name);
            PublishToxics(state.Toxics.Remove(existing), closeConnections: existing.Kind == TimeoutToxic.Kind);
        }
    }

    /// <summary>
    /// Changes listen, upstream or enabled. A new address (after resolving: "localhost:5432" equals "127.0.0.1:5432")
    /// restarts the proxy and drops its connections; disabling closes the port and every connection. Toxics are kept.
    /// </summary>
    public ProxyState Update(ProxyUpdate update)
    {
        lock (sync)
        {
            var current = state;
            var listen = update.Listen ?? current.Listen;
            var upstream = update.Upstream ?? current.Upstream;
            if (Differs(listen, upstream))
            {
                Stop();
                state = state with { Listen = listen, Upstream = upstream };
            }
            var enabled = update.Enabled ?? current.Enabled;
            if (enabled && !state.Enabled)
            {
                Start();
            }
            else if (!enabled && state.Enabled)
            {
                Stop();
            }
            return state;
        }
    }

    internal static ImmutableArray<Toxic> Order(IEnumerable<Toxic> toxics) =>
        [.. toxics.Where(t => t.Direction == ToxicDirection.Upstream), .. toxics.Where(t => t.Direction == ToxicDirection.Downstream)];

    /// <summary>Binds and starts accepting; a bind or resolve failure is a 500 and leaves the proxy disabled.</summary>
    internal void Start()
    {
        lock (sync)
        {
            if (listener is not null)
            {
                return;
            }
            var current = state;
            if (!ListenAddress.TryResolve(current.Listen, out var requested, out var error))
            {
                throw new ToxiproxyException(500, "listen tcp: " + error);
            }
            if (requested.Port != 0 && owner.IsBoundByAnother(this, requested))
            {
                throw ListenAddress.AddressInUse(requested);
            }
            listener = ProxyListener.Bind(requested, OnAccepted, Logger, current.Name);
            boundEndPoint = listener.EndPoint;
            startedAt = Time.GetTimestamp();
            state = current with { Listen = ListenAddress.Format(listener.EndPoint), Enabled = true };
            ApplyListenerGate();
            Logger.LogInformation("proxy {Proxy} listening on {Listen}, upstream {Upstream}", current.Name, state.Listen, current.Upstream);
        }
    }

    /// <summary>Closes the port and every connection; toxics stay. Harmless when already stopped.</summary>
    internal void Stop()
    {
        lock (sync)
        {
            gateTimer?.Dispose();
            gateTimer = null;
            if (listener is not null)
            {
                listener.Dispose();
                listener = null;
                boundEndPoint = null;
                Logger.LogInformation("proxy {Proxy} stopped", state.Name);
            }
            if (state.Enabled)
            {
                state = state with { Enabled = false };
            }
            foreach (var connection in connections.ToArray())
            {
                connection.Close();
            }
        }
    }

    /// <summary>Stops and waits until every connection has ended.</summary>
    internal async Task StopAsync()
    {
        Task[] running;
        lock (sync)
        {
            Stop();
            running = [.. connections.Select(c => c.Completion)];
        }
        // Closing releases every connection at once; the bound only keeps a stop (`replica down`) from ever hanging.
        try
        {
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            Logger.LogWarning("proxy {Proxy}: {Count} connection(s) had not ended 10 s after stop; leaving them", state.Name, running.Count(t => !t.IsCompleted));
        }
    }

    /// <summary>Whether listen or upstream differ from the current ones, comparing listen addresses after resolving.</summary>
    internal bool Differs(string listen, string upstream)
    {
        if (!ListenAddress.TryResolve(listen, out var endPoint, out var error))
        {
            throw new ToxiproxyException(500, error);
        }
        var current = state;
        return ListenAddress.Format(endPoint) != current.Listen || upstream != current.Upstream;
    }

    /// <summary>Replaces the toxics declared with the proxy (populate gave new ones) and applies them.</summary>
    internal void ReplaceDeclared(ImmutableArray<Toxic> toxics)
    {
        lock (sync)
        {
            declared = toxics;
            PublishToxics(toxics, closeConnections: state.Toxics.Any(t => t.Kind == TimeoutToxic.Kind));
        }
    }

    /// <summary>/reset: back to the declared toxics (none unless declared), re-created now so startup delays count again.</summary>
    internal void ResetToxics()
    {
        lock (sync)
        {
            var now = Time.GetTimestamp();
            PublishToxics([.. declared.Select(t => t.Reactivated(now))], closeConnections: state.Toxics.Any(t => t.Kind == TimeoutToxic.Kind));
        }
    }

    internal TrafficCounter? Counter(ToxicDirection direction, ProxyState at) => owner.Metrics?.Counter(direction, at);

    /// <summary>
    /// Waits while a startup_delay in hold mode applies to this connection (toxicity drawn once per toxic value).
    /// Re-evaluated whenever the toxics change. False when the connection closed meanwhile.
    /// </summary>
    internal async Task<bool> HoldAsync(Random random, CancellationToken cancellationToken)
    {
        Dictionary<Toxic, bool>? draws = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            ImmutableArray<Toxic> toxics;
            Task changed;
            long started;
            lock (sync)
            {
                (toxics, changed, started) = (state.Toxics, toxicsChanged.Task, startedAt);
            }
            long until = 0;
            foreach (var toxic in toxics)
            {
                if (!StartupDelayToxic.IsHold(toxic))
                {
                    continue;
                }
                draws ??= new Dictionary<Toxic, bool>(ReferenceEqualityComparer.Instance);
                if (!draws.TryGetValue(toxic, out var applies))
                {
                    draws[toxic] = applies = toxic.Toxicity >= 1f || random.NextSingle() < toxic.Toxicity;
                }
                if (applies)
                {
                    until = Math.Max(until, StartupDelayToxic.ReadyAt(toxic, started, Time.TimestampFrequency));
                }
            }
            var remaining = until - Time.GetTimestamp();
            if (remaining <= 0)
            {
                return true;
            }
            Logger.LogDebug("proxy {Proxy}: holding a connection for {Milliseconds:F0} ms (startup_delay)", state.Name, remaining * 1000.0 / Time.TimestampFrequency);
            // The delay's timer goes when a change wins, or every change during a long hold would leave one behind.
            using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(Task.Delay(StopwatchTicks.ToTimerDue(remaining, Time.TimestampFrequency), Time, delay.Token), changed);
            delay.Cancel();
        }
        return false;
    }

    internal void OnConnectionEnded(ProxyConnection connection)
    {
        lock (sync)
        {
            connections.Remove(connection);
        }
    }

    private static Toxic? Find(ImmutableArray<Toxic> toxics, string name)
    {
        foreach (var toxic in toxics)
        {
            if (toxic.Name == name)
            {
                return toxic;
            }
        }
        return null;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void PublishToxics(ImmutableArray<Toxic> toxics, bool closeConnections)
    {
        state = state with { Toxics = toxics };
        var previous = toxicsChanged;
        toxicsChanged = NewSignal();
        previous.TrySetResult();
        foreach (var connection in connections.ToArray())
        {
            if (closeConnections)
            {
                connection.Close();
            }
            else
            {
                connection.OnToxicsChanged();
            }
        }
        ApplyListenerGate();
    }

    /// <summary>Refuses (bound, not listening) while a refuse-mode startup_delay runs, listens otherwise.</summary>
    private void ApplyListenerGate()
    {
        if (listener is null)
        {
            return;
        }
        var remaining = StartupDelayToxic.RefuseUntil(state.Toxics, startedAt, Time.TimestampFrequency) - Time.GetTimestamp();
        if (remaining > 0)
        {
            if (listener.IsListening)
            {
                Logger.LogDebug("proxy {Proxy}: refusing connections for {Milliseconds:F0} ms (startup_delay)", state.Name, remaining * 1000.0 / Time.TimestampFrequency);
            }
            listener.Refuse();
            ScheduleGate(StopwatchTicks.ToTimerDue(remaining, Time.TimestampFrequency));
        }
        else if (!listener.Listen())
        {
            // Not the toxics' clock: the port is busy for real, so try again in real time.
            ScheduleGate(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }
        else
        {
            gateTimer?.Dispose();
            gateTimer = null;
        }
    }

    private void ScheduleGate(TimeSpan due, TimeProvider? clock = null)
    {
        clock ??= Time;
        if (gateTimer is not null && !ReferenceEquals(gateTimerClock, clock))
        {
            gateTimer.Dispose();
            gateTimer = null;
        }
        gateTimerClock = clock;
        gateTimer ??= clock.CreateTimer(_ =>
        {
            lock (sync)
            {
                ApplyListenerGate();
            }
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        gateTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void OnAccepted(Socket client)
    {
        lock (sync)
        {
            if (listener is null)
            {
                client.Dispose();
                return;
            }
            try
            {
                client.NoDelay = true;
            }
            catch (SocketException)
            {
                // Reset by the client already; the connection will see it.
            }
            var connection = new ProxyConnection(this, client, ++connectionIds, owner.NextSeed());
            connections.Add(connection);
            connection.Start();
        }
    }
}
