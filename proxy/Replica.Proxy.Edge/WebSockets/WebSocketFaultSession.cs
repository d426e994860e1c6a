using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Replica.Proxy.Edge.Faults;
using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.WebSockets;

/// <summary>
/// One WebSocket connection through the proxy, from the 101 on. It sits between the client's upgraded stream and
/// YARP's two copy loops: upstream→client bytes arrive through <see cref="Stream"/>'s writes, client→upstream bytes are
/// read by a pump and handed to YARP through a pipe (so that the proxy can also inject toward the upstream while the
/// client is silent). Rules are read live from the rule set for every message, so rules added or removed while the
/// connection is open take effect at once, and a connection no rule matches is never touched.
/// </summary>
internal sealed class WebSocketFaultSession : IAsyncDisposable, IFrameConnection
{
    private static long s_nextId;
    private static readonly TimeSpan CloseReplyTimeout = TimeSpan.FromSeconds(5);

    private readonly EdgeProxyRuntime _runtime;
    private readonly HttpContext _context;
    private readonly Stream _client;
    private readonly Pipe _toUpstreamPipe = new(new PipeOptions(useSynchronizationContext: false));
    private readonly FrameFlow _toClient;
    private readonly FrameFlow _toUpstream;
    private readonly CancellationTokenSource _stop;
    private readonly long _openedAt;
    private readonly HashSet<string> _decidedTriggers = new(StringComparer.Ordinal);
    private readonly object _timerGate = new();
    private readonly TaskCompletionSource _clientCloseReply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _pump;
    private ConnectionFrameRules? _frameRules;
    private ITimer? _timer;
    private long _deliveredToClient;
    private long _deliveredToUpstream;
    private int _closing;
    private int _disposed;

    public WebSocketFaultSession(EdgeProxyRuntime runtime, RequestFacts request, HttpContext context, Stream client)
    {
        _runtime = runtime;
        Request = request;
        _context = context;
        _client = client;
        Id = $"ws-{Interlocked.Increment(ref s_nextId)}";
        _openedAt = runtime.Clock.Time.GetTimestamp();
        _stop = CancellationTokenSource.CreateLinkedTokenSource(runtime.Clock.Stopping);
        _toClient = new FrameFlow(FrameDirection.ToClient, new FrameOutput(WriteToClientAsync), this);
        _toUpstream = new FrameFlow(FrameDirection.ToUpstream, new FrameOutput(WriteToUpstreamAsync), this);
        Stream = new WebSocketFaultStream(this, _toUpstreamPipe.Reader);
        runtime.Metrics.WebSocketOpened(request.Route);
        runtime.Sessions.Add(this);
        if (runtime.Tap.Active)
        {
            runtime.Tap.Opened(request.Route, Id, request.Path);
        }
        _pump = Task.Run(PumpFromClientAsync);
        PlanTimedTriggers();
    }

    public string Id { get; }

    public RequestFacts Request { get; }

    /// <summary>What YARP copies through in place of the client's upgraded stream.</summary>
    public Stream Stream { get; }

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Whether the edge's tap has a listener (frames are then reported to it).</summary>
    public bool TapActive => _runtime.Tap.Active;

    internal ValueTask FromUpstreamAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        => _toClient.ProcessAsync(bytes, cancellationToken);

    /// <summary>
    /// What a new data message in <paramref name="direction"/> needs, from one walk over the connection's active rules:
    /// whether some rule must see the whole message (to match, drop or delay it), and in <paramref name="mayFire"/>
    /// whether delivering it may fire a frame-count or frame-match trigger.
    /// </summary>
    public bool PlanMessage(FrameDirection direction, out bool mayFire)
    {
        var inspect = false;
        mayFire = false;
        foreach (var (rule, action) in FrameRulesMatchingConnection())
        {
            if (!action.Covers(direction) || !rule.IsActive(_runtime.Clock))
            {
                continue;
            }
            var undecided = action.Trigger is { } trigger && (trigger.AfterFrames is not null || trigger.OnFrame is not null) && !IsDecided(rule.Id);
            inspect |= action.ReadsMessages || (undecided && action.Trigger!.OnFrame is not null);
            mayFire |= undecided;
        }
        // With a tap listening, every message is read whole so that the feed can show it.
        return inspect || _runtime.Tap.Active;
    }

    public async ValueTask HandleBufferedMessageAsync(FrameFlow flow, ReadOnlyMemory<byte> raw, ReadOnlyMemory<byte> payload, bool compressed, CancellationToken cancellationToken)
    {
        var message = new FrameMessage(new WebSocketPayload(payload, compressed), flow.Direction);
        foreach (var (rule, action) in FrameRulesMatchingConnection())
        {
            if (action.ReadsMessages && action.Covers(flow.Direction) && rule.IsActive(_runtime.Clock))
            {
                action.OnMessage(message, rule, this);
            }
        }
        if (_runtime.Tap.Active)
        {
            var fault = message.Dropped ? "dropped" : message.Delay > TimeSpan.Zero ? $"delayed {message.Delay.TotalMilliseconds:0} ms" : null;
            _runtime.Tap.Message(Request.Route, Id, flow.Direction == FrameDirection.ToClient, payload.Span, compressed, fault);
        }
        if (message.Dropped)
        {
            _runtime.Metrics.Message(Request.Route, flow.Direction, "dropped");
            return;
        }
        if (message.Delay > TimeSpan.Zero)
        {
            await FaultDelay.WaitAsync(message.Delay, _runtime.Clock.Time, cancellationToken);
        }
        await flow.Output.WriteFrameAsync(raw, cancellationToken);
        await OnMessageDeliveredAsync(flow.Direction, message.Payload, cancellationToken);
    }

    // A message whose delivery may fire a frame-count or frame-match trigger (a close after the first message, say)
    // holds the other direction's next frame until its triggers are decided. Otherwise the peer's answer to that very
    // message could be forwarded between its delivery and the action, and overtake a close.
    private TaskCompletionSource? _holdByClientBound;
    private TaskCompletionSource? _holdByUpstreamBound;

    /// <summary>Holds the other direction's next frame until <see cref="ReleaseOtherDirection"/> for <paramref name="direction"/>.</summary>
    public void HoldOtherDirection(FrameDirection direction)
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (direction == FrameDirection.ToClient)
        {
            Volatile.Write(ref _holdByClientBound, hold);
        }
        else
        {
            Volatile.Write(ref _holdByUpstreamBound, hold);
        }
    }

    public void ReleaseOtherDirection(FrameDirection direction)
    {
        var hold = direction == FrameDirection.ToClient
            ? Interlocked.Exchange(ref _holdByClientBound, null)
            : Interlocked.Exchange(ref _holdByUpstreamBound, null);
        hold?.TrySetResult();
    }

    /// <summary>Waits while the other direction holds this one (see <see cref="HoldOtherDirection"/>).</summary>
    public Task WaitForOtherDirectionAsync(FrameDirection direction, CancellationToken cancellationToken)
    {
        var hold = direction == FrameDirection.ToClient ? Volatile.Read(ref _holdByUpstreamBound) : Volatile.Read(ref _holdByClientBound);
        return hold is null ? Task.CompletedTask : hold.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Counts a delivered data message and fires the frame-count and frame-match triggers it completes.</summary>
    public async ValueTask OnMessageDeliveredAsync(FrameDirection direction, WebSocketPayload? message, CancellationToken cancellationToken)
    {
        _runtime.Metrics.Message(Request.Route, direction, "forwarded");
        if (direction == FrameDirection.ToClient)
        {
            Interlocked.Increment(ref _deliveredToClient);
        }
        else
        {
            Interlocked.Increment(ref _deliveredToUpstream);
        }
        var rules = FrameRulesMatchingConnection();
        if (rules.Length == 0)
        {
            return;
        }
        foreach (var (rule, action) in rules)
        {
            if (action.Trigger is not { } trigger || !action.Covers(direction) || !rule.IsActive(_runtime.Clock) || IsDecided(rule.Id))
            {
                continue;
            }
            if (trigger.AfterFrames is { } n && Delivered(action.Direction) >= n)
            {
                if (Decide(rule.Id) && rule.Roll())
                {
                    await action.FireAsync(rule, this, cancellationToken);
                }
            }
            else if (trigger.OnFrame is { } match && message is not null && match.Matches(message) && rule.Roll() && Decide(rule.Id))
            {
                await action.FireAsync(rule, this, cancellationToken);
            }
        }
    }

    /// <summary>A close frame crossed the proxy (tap only): its payload, unmasked.</summary>
    public void OnCloseFrame(FrameDirection direction, ReadOnlySpan<byte> payload) =>
        _runtime.Tap.Close(Request.Route, Id, direction == FrameDirection.ToClient, payload, fault: null);

    public void OnCloseReplySeen(FrameDirection direction)
    {
        if (direction == FrameDirection.ToUpstream)
        {
            _clientCloseReply.TrySetResult();
        }
    }

    /// <summary>Re-plans the timer for time-triggered rules; called on open and whenever the rule set changes.</summary>
    public void PlanTimedTriggers()
    {
        lock (_timerGate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }
            TimeSpan? next = null;
            foreach (var (rule, action) in FrameRulesMatchingConnection())
            {
                if (action.Trigger?.After is not { } after || IsDecided(rule.Id))
                {
                    continue;
                }
                var due = DueIn(rule, after);
                next = next is null || due < next ? due : next;
            }
            if (next is null)
            {
                _timer?.Dispose();
                _timer = null;
                return;
            }
            var dueIn = next.Value < TimeSpan.Zero ? TimeSpan.Zero : next.Value;
            if (_timer is null)
            {
                _timer = _runtime.Clock.Time.CreateTimer(static s => ((WebSocketFaultSession)s!).OnTimer(), this, dueIn, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _timer.Change(dueIn, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Drops the client connection at once (proxy stopping).</summary>
    public void Abort() => _context.Abort();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _runtime.Sessions.Remove(this);
        _runtime.Metrics.WebSocketClosed(Request.Route);
        if (_runtime.Tap.Active)
        {
            _runtime.Tap.Closed(Request.Route, Id, Request.Path);
        }
        lock (_timerGate)
        {
            _timer?.Dispose();
            _timer = null;
        }
        _stop.Cancel();
        // A direction that ended in the middle of a message never releases its hold: nothing may wait on it now.
        ReleaseOtherDirection(FrameDirection.ToClient);
        ReleaseOtherDirection(FrameDirection.ToUpstream);
        // The pump may still be blocked in a read of the client stream; Kestrel ends that read when the request ends.
        // Observe its end without waiting for it here.
        _ = _pump.ContinueWith(static (_, s) => ((CancellationTokenSource)s!).Dispose(), _stop, TaskScheduler.Default);
        await _toUpstreamPipe.Reader.CompleteAsync();
    }

    private void OnTimer() => _ = FireTimedTriggersAsync();

    private async Task FireTimedTriggersAsync()
    {
        try
        {
            foreach (var (rule, action) in FrameRulesMatchingConnection())
            {
                if (action.Trigger?.After is { } after && rule.IsActive(_runtime.Clock) && DueIn(rule, after) <= TimeSpan.Zero && Decide(rule.Id) && rule.Roll())
                {
                    await action.FireAsync(rule, this, _stop.Token);
                }
            }
            PlanTimedTriggers();
        }
        catch (Exception)
        {
            // Fired from a timer, with nobody to report to: the connection ended (or broke) while the trigger fired,
            // and YARP reports the broken connection itself.
        }
    }

    void IFrameConnection.RecordFault(InstalledRule rule, FrameFaultAction action, FrameDirection? direction, string detail)
        => _runtime.RecordFault(rule, action.Kind, direction is { } d ? Describe(d) : $"websocket={Id} {Request.Path}", detail);

    async Task IFrameConnection.SendTextAsync(FrameDirection direction, string text, CancellationToken cancellationToken)
    {
        var toUpstream = direction == FrameDirection.ToUpstream;
        var frame = WebSocketFrames.Text(text, masked: toUpstream);
        await (toUpstream ? _toUpstream : _toClient).Output.WriteFrameAsync(frame, cancellationToken);
        _runtime.Metrics.Message(Request.Route, direction, "injected");
    }

    Task IFrameConnection.CloseAsync(int code, string reason, CancellationToken cancellationToken) => CloseAsync(code, reason, cancellationToken);

    /// <summary>
    /// Closes both sides with real close frames: the client gets (code, reason) as from the server, the upstream the
    /// same as from the client. Everything after that is discarded; once the client answers the close (or does not
    /// within 5 s), the client-to-upstream side ends, and YARP ends the connection when the upstream closes its side.
    /// </summary>
    private async Task CloseAsync(int code, string reason, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }
        await _toClient.Output.WriteFrameAsync(WebSocketFrames.Close(code, reason, masked: false), cancellationToken);
        if (_runtime.Tap.Active)
        {
            var payload = new byte[2 + System.Text.Encoding.UTF8.GetByteCount(reason)];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
            System.Text.Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
            _runtime.Tap.Close(Request.Route, Id, toClient: true, payload, fault: "closed by the proxy");
        }
        await _toUpstream.Output.WriteFrameAsync(WebSocketFrames.Close(code, reason, masked: true), cancellationToken);
        // Not awaited: the close may have been triggered from the client pump, which must go on to read the reply.
        _ = CutOffIfNoCloseReplyAsync();
    }

    private async Task CutOffIfNoCloseReplyAsync()
    {
        try
        {
            var replied = await Task.WhenAny(_clientCloseReply.Task, Task.Delay(CloseReplyTimeout, _runtime.Clock.Time, _stop.Token));
            if (replied != _clientCloseReply.Task)
            {
                _context.Abort();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended first.
        }
    }

    private async Task PumpFromClientAsync()
    {
        Exception? failure = null;
        var token = _stop.Token;
        try
        {
            while (!_clientCloseReply.Task.IsCompleted)
            {
                // A zero-byte read waits for data without holding a buffer: idle connections cost no buffer memory.
                _ = await _client.ReadAsync(Memory<byte>.Empty, token);
                var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
                try
                {
                    var read = await _client.ReadAsync(buffer, token);
                    if (read == 0)
                    {
                        break;
                    }
                    await _toUpstream.ProcessAsync(buffer.AsMemory(0, read), token);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        await _toUpstreamPipe.Writer.CompleteAsync(failure);
    }

    private async ValueTask WriteToClientAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _client.WriteAsync(bytes, cancellationToken);
        await _client.FlushAsync(cancellationToken);
    }

    private async ValueTask WriteToUpstreamAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var result = await _toUpstreamPipe.Writer.WriteAsync(bytes, cancellationToken);
        if (result.IsCompleted)
        {
            throw new IOException("the upstream side of the WebSocket has ended");
        }
    }

    /// <summary>
    /// The frame rules whose match holds for this connection's handshake, recomputed only when the rule set changed:
    /// per message only each rule's window is checked, and a connection no frame rule matches loops over nothing.
    /// </summary>
    private (InstalledRule Rule, FrameFaultAction Action)[] FrameRulesMatchingConnection()
    {
        var snapshot = _runtime.Rules.Snapshot;
        var cached = Volatile.Read(ref _frameRules);
        if (cached is null || !ReferenceEquals(cached.Snapshot, snapshot))
        {
            // Both directions may recompute at once; either result is right for this snapshot.
            cached = new ConnectionFrameRules(snapshot, Request);
            Volatile.Write(ref _frameRules, cached);
        }
        return cached.Rules;
    }

    private long Delivered(FrameDirection direction) => direction switch
    {
        FrameDirection.ToClient => Interlocked.Read(ref _deliveredToClient),
        FrameDirection.ToUpstream => Interlocked.Read(ref _deliveredToUpstream),
        _ => Interlocked.Read(ref _deliveredToClient) + Interlocked.Read(ref _deliveredToUpstream),
    };

    // A time trigger counts from the later of the connection's opening and the rule's creation, so adding a rule
    // does not instantly hit every connection that is already older than its delay.
    private TimeSpan DueIn(InstalledRule rule, TimeSpan after)
    {
        var origin = Math.Max(_openedAt, rule.AddedAt);
        return after - _runtime.Clock.Time.GetElapsedTime(origin);
    }

    private bool IsDecided(string ruleId)
    {
        lock (_decidedTriggers)
        {
            return _decidedTriggers.Contains(ruleId);
        }
    }

    /// <summary>Marks a one-shot trigger as used on this connection; false if it already was.</summary>
    private bool Decide(string ruleId)
    {
        lock (_decidedTriggers)
        {
            return _decidedTriggers.Add(ruleId);
        }
    }

    private string Describe(FrameDirection direction)
        => $"websocket={Id} {Request.Path} {(direction == FrameDirection.ToClient ? "to-client" : "to-upstream")}";
}
