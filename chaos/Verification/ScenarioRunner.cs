using Replica.Chaos.Probes;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Scenarios.Steps;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;
using Replica.Environments.Proxied;
using Replica.Proxy.Edge.Tls;
using Replica.Proxy.Tcp;

namespace Replica.Chaos.Verification;

/// <summary>
/// Runs a scenario against an environment that is already up, one run at a time: restore what the previous run
/// touched (faults cleared, the variant's settings, touched services running), play the timeline step by step,
/// watch with the probes, and classify what they saw against the scenario's symptom. The environment is reused
/// from run to run; it is never rebuilt.
/// </summary>
public sealed class ScenarioRunner : IDisposable
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);
    private readonly ReplicaEnvironment _environment;
    private readonly Scenario _scenario;
    private readonly TimeProvider _time;
    private readonly HttpClient _http = new(WithoutPooling(EdgeCertificateTrust.CreateHandler())) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly TokenSource? _tokens;
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _applied = [];

    /// <param name="time">The clock the timeline is played on (at, after, for); the system's when null.</param>
    public ScenarioRunner(ReplicaEnvironment environment, Scenario scenario, TimeProvider? time = null)
    {
        _environment = environment;
        _scenario = scenario;
        _time = time ?? TimeProvider.System;
        _tokens = scenario.Auth is { } auth ? new TokenSource(auth, _http, Resolve) : null;
    }

    /// <summary>Applies a variant's settings for the environment's first start (no restart needed then).</summary>
    public static EnvironmentBuilder WithVariant(EnvironmentBuilder builder, Scenario scenario, ScenarioVariant variant)
    {
        foreach (var (service, values) in scenario.SettingsFor(variant))
        {
            foreach (var (key, value) in values)
            {
                builder = builder.WithSetting(service, key, value);
            }
        }
        return builder;
    }

    public Task<RunResult> RunAsync(ScenarioVariant variant, int index, CancellationToken cancellationToken) =>
        RunAsync(_scenario, variant, index, cancellationToken);

    /// <summary>
    /// One run of <paramref name="scenario"/>: the runner's scenario with other values in its timeline or settings (a
    /// sweep's point). Its auth is the runner's; the environment is the same, restored as for any run.
    /// </summary>
    public async Task<RunResult> RunAsync(Scenario scenario, ScenarioVariant variant, int index, CancellationToken cancellationToken)
    {
        var clock = new RunClock(_time);
        var recorder = new RunRecorder(clock);
        using var runEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        runEnd.CancelAfter(RunLimit);
        var probes = new Dictionary<string, Task<ProbeObservation>>();
        var player = new TimelinePlayer(clock);
        var logStart = LogPositions();
        try
        {
            await RestoreAsync(scenario, variant, runEnd.Token);
            if (_tokens is not null)
            {
                await _tokens.GetAsync(runEnd.Token); // before any fault: getting a token is set-up, not the test
            }
            using var subscription = _environment.Subscribe(recorder.Service);
            clock.Start();
            var opened = scenario.Probes.ToDictionary(p => p.Name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            var probeContext = new ProbeContext(_http, Resolve, _tokens is null ? null : _tokens.GetAsync, () => clock.Elapsed,
                name => opened[name].TrySetResult());
            Task StartProbe(string name)
            {
                var definition = scenario.Probes.First(p => p.Name == name);
                var probe = probes[name] = RunProbeAsync(definition, probeContext, runEnd.Token);
                return Task.WhenAny(opened[name].Task, probe);
            }
            await player.PlayAsync(scenario.Timeline, new StepRunContext(_environment, recorder, player.UndoAsync, StartProbe), runEnd.Token);
            foreach (var definition in scenario.Probes.Where(p => !probes.ContainsKey(p.Name)))
            {
                _ = StartProbe(definition.Name); // watched below, with every probe
            }
            var observations = await Task.WhenAll(scenario.Probes.Select(p => probes[p.Name]));
            var duration = clock.Elapsed;
            runEnd.Cancel(); // pending `for` undos: the next run's restore clears every fault anyway
            await Task.WhenAll(player.TimedUndos); // one already reverting (a service starting again) finishes first; its error fails the run
            var failed = observations.Where(o => !o.Passed).ToList();
            var symptom = failed.FirstOrDefault(o => o.Failure is not null && scenario.Symptom.Matches(o.Failure));
            var outcome = failed.Count == 0 ? RunOutcome.Passed : symptom is not null ? RunOutcome.Symptom : RunOutcome.OtherFailure;
            var failure = (symptom ?? failed.FirstOrDefault())?.Failure;
            return new RunResult(variant.Name, index, _environment.Seed, outcome, failure, observations, recorder.Events, duration,
                ServiceLog: LogSince(logStart));
        }
        catch (Exception ex) when (ex is ReplicaException or ToxiproxyException or IOException or HttpRequestException or ArgumentException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            runEnd.Cancel();
            await SettleAsync(probes.Values, player.TimedUndos);
            var message = ex is OperationCanceledException ? $"the run did not finish within {RunLimit.TotalMinutes:0} min" : ex.Message;
            return new RunResult(variant.Name, index, _environment.Seed, RunOutcome.Error, null,
                probes.Values.Where(p => p.IsCompletedSuccessfully).Select(p => p.Result).ToList(), recorder.Events, clock.Elapsed,
                Error: message, ServiceLog: LogSince(logStart));
        }
        catch
        {
            // Cancelled from outside, or a bug: nothing of this run may outlive it.
            runEnd.Cancel();
            await SettleAsync(probes.Values, player.TimedUndos);
            throw;
        }
    }

    /// <summary>Waits for every probe and undo to end, whatever they end with (the caller reports the first error).</summary>
    private static Task SettleAsync(IEnumerable<Task> probes, IEnumerable<Task> undos) =>
        Task.WhenAll(probes.Concat(undos).Select(t => t.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)));

    /// <summary>
    /// Puts the environment back as a run expects it: no faults, every service running with this variant's settings.
    /// A service the timeline restarts first is left to the timeline (its health may be what the run watches).
    /// </summary>
    private async Task RestoreAsync(Scenario scenario, ScenarioVariant variant, CancellationToken cancellationToken)
    {
        _environment.ResetFaults();
        var settings = scenario.SettingsFor(variant);
        var restartedByTimeline = scenario.Timeline.OfType<ServiceStep>()
            .Where(s => s is not AwaitStep)
            .GroupBy(a => a.Service)
            .Where(g => g.First() is RestartStep)
            .Select(g => g.Key)
            .ToHashSet();
        foreach (var service in _environment.Environment.Services)
        {
            var wanted = settings.GetValueOrDefault(service.Name) ?? new Dictionary<string, string>();
            var changed = _applied.TryGetValue(service.Name, out var current)
                ? !current.OrderBy(p => p.Key).SequenceEqual(wanted.OrderBy(p => p.Key))
                : wanted.Count > 0 && !StartedWith(service, wanted);
            if (changed || !_applied.ContainsKey(service.Name))
            {
                _environment.Environment.SetSettings(service.Name, wanted);
                _applied[service.Name] = wanted;
            }
            if (restartedByTimeline.Contains(service.Name))
            {
                continue;
            }
            switch (service.Status)
            {
                case ServiceStatus.Paused:
                    await service.ResumeAsync(cancellationToken);
                    break;
                case ServiceStatus.Stopped or ServiceStatus.Exited or ServiceStatus.Pending:
                    await service.StartAsync(cancellationToken);
                    break;
                default:
                    if (changed)
                    {
                        await service.RestartAsync(cancellationToken);
                    }
                    break;
            }
        }
    }

    /// <summary>The first run uses the settings the environment was started with (see <see cref="WithVariant"/>).</summary>
    private bool StartedWith(RunningService service, IReadOnlyDictionary<string, string> wanted) =>
        _environment.Environment.Definition.Settings.TryGetValue(service.Name, out var initial)
        && initial.OrderBy(p => p.Key).SequenceEqual(wanted.OrderBy(p => p.Key));

    private static async Task<ProbeObservation> RunProbeAsync(ProbeDefinition probe, ProbeContext context, CancellationToken cancellationToken) =>
        probe switch
        {
            WebSocketProbeDefinition ws => await WebSocketProbe.RunAsync(ws, context, cancellationToken),
            HttpProbeDefinition http => await HttpProbe.RunAsync(http, context, cancellationToken),
            HealthPollProbeDefinition health => await HealthPollProbe.RunAsync(health, context, cancellationToken),
            _ => throw new InvalidOperationException($"unknown probe {probe.GetType().Name}"),
        };

    private Uri Resolve(ProbeTarget target) =>
        target.ViaEdge
            ? _environment.EdgeUrl ?? throw new ReplicaException("the scenario probes through the edge proxy, but the environment has none")
            : new Uri($"http://{_environment[target.Service!].Endpoint}");

    private static SocketsHttpHandler WithoutPooling(SocketsHttpHandler handler)
    {
        handler.PooledConnectionLifetime = TimeSpan.Zero;
        return handler;
    }

    private Dictionary<string, long> LogPositions() =>
        _environment.Environment.Services
            .Where(s => s.Instance is not null)
            .ToDictionary(s => s.Name, s => File.Exists(s.Instance!.LogFile) ? new FileInfo(s.Instance.LogFile).Length : 0);

    /// <summary>What the services logged during the run (the last lines of each), for reports.</summary>
    private IReadOnlyList<string> LogSince(Dictionary<string, long> start)
    {
        var lines = new List<string>();
        foreach (var service in _environment.Environment.Services.Where(s => s.Instance is not null))
        {
            var file = service.Instance!.LogFile;
            if (!File.Exists(file))
            {
                continue;
            }
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var from = Math.Min(start.GetValueOrDefault(service.Name), stream.Length);
            from = Math.Max(from, stream.Length - 64 * 1024);
            stream.Seek(from, SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            lines.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(40).Select(l => $"{service.Name} | {l.TrimEnd('\r')}"));
        }
        return lines;
    }

    public void Dispose() => _http.Dispose();
}
