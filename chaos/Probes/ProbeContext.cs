using System.Diagnostics;
using Replica.Chaos.Scenarios;

namespace Replica.Chaos.Probes;

/// <summary>What a probe needs during a run: where to connect, how to get a token, and the run's clock.</summary>
public sealed class ProbeContext
{
    private readonly Func<ProbeTarget, Uri> _resolve;
    private readonly Func<CancellationToken, Task<string>>? _token;
    private readonly Func<TimeSpan> _now;
    private readonly Action<string>? _opened;

    /// <param name="token">Where a bearer token comes from (a scenario's auth block, or one a test already has); null: none.</param>
    public ProbeContext(HttpClient http, Func<ProbeTarget, Uri> resolve, Func<CancellationToken, Task<string>>? token, Stopwatch clock)
        : this(http, resolve, token, () => clock.Elapsed)
    {
    }

    /// <param name="now">The time since the run started (the run's own clock).</param>
    /// <param name="opened">Told a probe's name once its connection is open (a timeline step may wait for that).</param>
    public ProbeContext(HttpClient http, Func<ProbeTarget, Uri> resolve, Func<CancellationToken, Task<string>>? token, Func<TimeSpan> now,
        Action<string>? opened = null)
    {
        _opened = opened;
        Http = http;
        _resolve = resolve;
        _token = token;
        _now = now;
    }

    public HttpClient Http { get; }

    /// <summary>Time since the run started: every observation is placed on the run's time axis.</summary>
    public TimeSpan Now => _now();

    /// <summary>The base URL (http://host:port) of the edge proxy or of a service.</summary>
    public Uri BaseUrl(ProbeTarget target) => _resolve(target);

    /// <summary>The probe's connection is open (a WebSocket probe: the server answered the handshake).</summary>
    public void Opened(string probe) => _opened?.Invoke(probe);

    public async Task<string?> TokenAsync(TokenMode mode, CancellationToken cancellationToken) =>
        mode == TokenMode.Auth && _token is not null ? await _token(cancellationToken) : null;
}
