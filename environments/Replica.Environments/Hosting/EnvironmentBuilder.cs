using Replica.Environments.Compose;
using Replica.Environments.Runtimes;
using Replica.Environments.Runtimes.Process;
using Replica.Environments.State;

namespace Replica.Environments.Hosting;

/// <summary>
/// Builds an <see cref="EnvironmentDefinition"/> the Testcontainers way: each With… returns a new builder; Build()
/// checks and freezes it.
/// </summary>
public sealed record EnvironmentBuilder
{
    private Topology? _topology;
    private string? _composeFile;
    private string? _name;
    private StateStore? _store;
    private Func<RuntimeContext, IServiceRuntime>? _runtime;
    private string _runtimeName = "process";
    private Dictionary<string, IReadOnlyDictionary<string, string>> _settings = [];
    private HashSet<string> _deferred = [];
    private DependencyInterposer? _interposer;
    private List<Action<EnvironmentEvent>> _observers = [];
    private bool _detached;

    public EnvironmentBuilder WithComposeFile(string path) => this with { _composeFile = path, _topology = null };

    public EnvironmentBuilder WithTopology(Topology topology) => this with { _topology = topology, _composeFile = null };

    /// <summary>The environment's name (the state directory and labels use it); defaults to the compose project name.</summary>
    public EnvironmentBuilder WithName(string name) => this with { _name = ComposeLoader.Sanitize(name) };

    public EnvironmentBuilder WithStateDirectory(string root) => this with { _store = new StateStore(root) };

    public EnvironmentBuilder WithRuntime(string name, Func<RuntimeContext, IServiceRuntime> factory) =>
        this with { _runtime = factory, _runtimeName = name };

    /// <summary>Overrides (or adds) one setting of a service's environment, e.g. REDIS_READY_TIMEOUT=30s.</summary>
    public EnvironmentBuilder WithSetting(string service, string key, string value)
    {
        var settings = new Dictionary<string, IReadOnlyDictionary<string, string>>(_settings);
        var forService = new Dictionary<string, string>(settings.GetValueOrDefault(service) ?? new Dictionary<string, string>()) { [key] = value };
        settings[service] = forService;
        return this with { _settings = settings };
    }

    /// <summary>
    /// Leaves a service out of the initial start — it "starts late": start it with environment[name].StartAsync().
    /// Its dependents do not wait for it; where the runtime can fix endpoints in advance (process runtime) they are
    /// pointed at where it will listen, and see connections refused until it does.
    /// </summary>
    public EnvironmentBuilder WithDeferredStart(string service) => this with { _deferred = [.. _deferred, service] };

    public EnvironmentBuilder WithDependencyInterposer(DependencyInterposer interposer) => this with { _interposer = interposer };

    public EnvironmentBuilder WithObserver(Action<EnvironmentEvent> observer) => this with { _observers = [.. _observers, observer] };

    /// <summary>Marks the environment as hosted by a detached daemon (recorded for `status`).</summary>
    public EnvironmentBuilder AsDetached() => this with { _detached = true };

    public EnvironmentDefinition Build()
    {
        var topology = _topology ?? ComposeLoader.Load(_composeFile ?? "compose.yaml");
        foreach (var service in _settings.Keys.Concat(_deferred))
        {
            if (!topology.Contains(service))
            {
                throw new Errors.ReplicaException(
                    $"no service '{service}' in {topology.SourceFile}{KeySuggestion.For(service, topology.Services.Select(s => s.Name))}", kind: Errors.ReplicaErrorKind.BadInput);
            }
        }
        return new EnvironmentDefinition(
            topology,
            _name ?? topology.Name,
            _store ?? StateStore.Default(),
            _runtime ?? (ctx => new ProcessRuntime(new ProcessRuntimeOptions(ctx.WorkDirectory, ProcessRuntimeOptions.DefaultCacheDirectory, ctx.ProcessStarted, ctx.Progress))),
            _runtimeName,
            _settings,
            _deferred,
            _interposer,
            _observers,
            _detached);
    }
}
