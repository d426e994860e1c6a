using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Environments.Processes;
using Replica.Environments.Runtimes;
using Replica.Environments.State;

namespace Replica.Environments.Hosting;

/// <summary>
/// An environment that is up: every service started in dependency order (concurrently where the graph allows),
/// health-gated per depends_on, each dependency reference rewritten to the address the dependent must use. Recorded in
/// the state store from the first moment, so a killed owner's leftovers can be reaped. Disposing it tears everything
/// down: services in reverse dependency order, data directories, the state.
/// </summary>
public sealed class RunningEnvironment : IAsyncDisposable
{
    private readonly List<RunningService> _services;
    private readonly Dictionary<string, DependencyRecord> _dependencies = [];
    private readonly object _stateLock = new();
    private EnvironmentState? _state;
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _settings;
    private IServiceRuntime _runtime = null!;
    private int _disposed;

    private RunningEnvironment(EnvironmentDefinition definition, string workDirectory)
    {
        Definition = definition;
        WorkDirectory = workDirectory;
        _services = definition.Topology.Services.Select(s => new RunningService(this, s)).ToList();
        _settings = new Dictionary<string, IReadOnlyDictionary<string, string>>(definition.Settings);
    }

    public EnvironmentDefinition Definition { get; }

    public string Name => Definition.Name;

    public Topology Topology => Definition.Topology;

    public string WorkDirectory { get; }

    public string LogDirectory => Definition.Store.LogDirectoryOf(Name);

    public IServiceRuntime Runtime => _runtime;

    /// <summary>Services in start order.</summary>
    public IReadOnlyList<RunningService> Services => _services;

    public RunningService this[string name] =>
        _services.FirstOrDefault(s => s.Name == name)
        ?? throw new ReplicaException($"no service '{name}' in {Topology.SourceFile}{KeySuggestion.For(name, _services.Select(s => s.Name))}", kind: ReplicaErrorKind.BadInput);

    /// <summary>Each connection a service makes to a dependency: the address the dependent was given, and where it leads.</summary>
    public IReadOnlyList<DependencyRecord> Dependencies { get { lock (_dependencies) { return _dependencies.Values.ToList(); } } }

    /// <summary>
    /// Makes sure <paramref name="definition"/>'s name is free: reaps every environment whose owner died, and fails when
    /// one with this name is still up.
    /// </summary>
    public static async Task ClaimAsync(EnvironmentDefinition definition, CancellationToken cancellationToken)
    {
        var store = definition.Store;
        await new OrphanReaper(store).ReapOrphansAsync(cancellationToken);
        if (store.Read(definition.Name) is { } existing)
        {
            if (StateStore.IsOwnerAlive(existing))
            {
                throw new ReplicaException(
                    $"environment '{definition.Name}' is already up (owner pid {existing.Owner.Pid}, since {existing.CreatedAt.ToLocalTime():HH:mm:ss})",
                    hint: "run `replica down` first, or choose another name with --name");
            }
            await new OrphanReaper(store).ReapAsync(existing, cancellationToken);
        }
    }

    internal static async Task<RunningEnvironment> StartAsync(EnvironmentDefinition definition, CancellationToken cancellationToken)
    {
        var store = definition.Store;
        // Read first: a bad REPLICA_WORK_DIR changes nothing, not even the reaping a claim does.
        var workRoot = EnvironmentWorkRoot.Resolve();
        await ClaimAsync(definition, cancellationToken);

        // Services may run as another user (PostgreSQL as 'postgres'): they can enter it.
        var work = EnvironmentWorkRoot.CreateDirectory(workRoot, $"replica-{definition.Name}-");
        var environment = new RunningEnvironment(definition, work);
        try
        {
            environment.WriteState(new EnvironmentState
            {
                Name = definition.Name,
                ComposeFile = Path.GetFullPath(definition.Topology.SourceFile),
                Runtime = definition.RuntimeName,
                Owner = ProcessIdentity.Current(),
                Detached = definition.Detached,
                Phase = EnvironmentPhase.Starting,
                WorkDirectory = work,
                CreatedAt = DateTimeOffset.UtcNow,
                Settings = environment.SettingsSnapshot(),
            });
            Directory.CreateDirectory(environment.LogDirectory);
            environment._runtime = definition.RuntimeFactory(new RuntimeContext(
                definition.Name, work, environment.LogDirectory,
                (service, process) => environment.RecordProcess(process),
                message => environment.Emit(null, EnvironmentEventKind.Progress, message)));
            await environment._runtime.PrepareAsync(definition.Topology, cancellationToken);
            await environment.StartAllAsync(cancellationToken);
            environment.UpdateState(s => s with { Phase = EnvironmentPhase.Up });
            return environment;
        }
        catch
        {
            // Best effort, and never throws: the startup error (with the service's log tail) is what the user needs.
            await environment.DisposeAsync();
            throw;
        }
    }

    private async Task StartAllAsync(CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = _services
            .Where(s => !Definition.Deferred.Contains(s.Name))
            .Select(s => StartWhenDependenciesAllowAsync(s, failed))
            .ToList();
        var remaining = tasks.ToList();
        Exception? first = null;
        while (remaining.Count > 0)
        {
            var done = await Task.WhenAny(remaining);
            remaining.Remove(done);
            if (done.IsFaulted && first is null)
            {
                first = done.Exception!.InnerException;
                failed.Cancel();
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (first is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
    }

    private async Task StartWhenDependenciesAllowAsync(RunningService service, CancellationTokenSource failed)
    {
        await Task.Yield();
        await WaitForDependenciesAsync(service, failed.Token);
        await service.StartCoreAsync(failed.Token);
        await service.WaitReadyAsync(failed.Token);
    }

    private async Task WaitForDependenciesAsync(RunningService service, CancellationToken cancellationToken)
    {
        foreach (var dependency in service.Definition.DependsOn)
        {
            var target = this[dependency.Service];
            if (Definition.Deferred.Contains(target.Name))
            {
                // A deferred service starts late on purpose: its dependents do not wait for it.
                continue;
            }
            var wait = dependency.Condition switch
            {
                DependencyCondition.ServiceHealthy => target.Ready,
                DependencyCondition.ServiceCompletedSuccessfully => CompletedSuccessfullyAsync(target),
                _ => target.Started,
            };
            try
            {
                await wait.WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new ReplicaException($"service '{service.Name}' not started: its dependency '{target.Name}' failed", inner: ex);
            }
        }
    }

    private static async Task CompletedSuccessfullyAsync(RunningService target)
    {
        await target.Started;
        var code = await target.Instance!.Exited;
        if (code != 0)
        {
            throw new ReplicaException($"service '{target.Name}' exited with code {code}; dependents need it to complete successfully");
        }
    }

    /// <summary>Resolves the service's settings (dependency references rewritten) and asks the runtime to start it.</summary>
    internal async Task<IServiceInstance> LaunchAsync(RunningService service, CancellationToken cancellationToken)
    {
        var definition = service.Definition;
        var environment = new Dictionary<string, string>(definition.Environment, StringComparer.Ordinal);
        IReadOnlyDictionary<string, string>? overrides;
        lock (_settings)
        {
            _settings.TryGetValue(definition.Name, out overrides);
        }
        if (overrides is not null)
        {
            foreach (var (key, value) in overrides)
            {
                environment[key] = value;
            }
        }
        var processEnvironment = new Dictionary<string, string>(definition.Replica.Environment, StringComparer.Ordinal);
        foreach (var connection in Topology.Dependencies.Where(d => d.Dependent == definition.Name))
        {
            var dependency = this[connection.Dependency];
            var endpoints = dependency.Instance?.Endpoints;
            if (endpoints is null && Definition.Deferred.Contains(dependency.Name))
            {
                // It starts late on purpose: point the dependent at where it will listen.
                endpoints = _runtime.ReserveEndpoints(dependency.Definition);
            }
            if (endpoints is null)
            {
                // A dependency not running yet that is not in depends_on: wait until it exists.
                await dependency.Started.WaitAsync(cancellationToken);
                endpoints = dependency.Instance!.Endpoints;
            }
            var upstream = endpoints[connection.ContainerPort];
            string? address;
            if (Definition.Interposer is { } interposer)
            {
                address = (await interposer(connection, upstream, _runtime.ServiceFacingHost, cancellationToken)).ToString();
            }
            else
            {
                address = _runtime.DirectAddress(connection, endpoints);
            }
            lock (_dependencies)
            {
                _dependencies[connection.Name] = new DependencyRecord(connection.Name, connection.Dependent, connection.Dependency, address ?? $"{connection.Dependency}:{connection.ContainerPort}", upstream.ToString(), Definition.Interposer is not null);
            }
            if (address is not null)
            {
                var pattern = DependencyFinder.ReferencePattern(connection.Dependency);
                string Rewrite(string value) => pattern.Replace(value, m => m.Groups["port"].Value == connection.ContainerPort.ToString() ? address : m.Value);
                foreach (var key in environment.Keys.ToList())
                {
                    environment[key] = Rewrite(environment[key]);
                }
                foreach (var key in processEnvironment.Keys.ToList())
                {
                    processEnvironment[key] = Rewrite(processEnvironment[key]);
                }
            }
        }
        UpdateState(s => s with { Dependencies = Dependencies });
        Emit(service.Name, EnvironmentEventKind.Starting, "starting");
        var launch = new ServiceLaunch(definition, environment, processEnvironment, Path.Combine(LogDirectory, definition.Name + ".log"));
        return await _runtime.StartAsync(launch, cancellationToken);
    }

    /// <summary>
    /// Replaces the setting overrides of <paramref name="service"/> (on top of compose.yaml's environment) for its next
    /// start or restart — how a scenario switches variants without rebuilding the environment.
    /// </summary>
    public void SetSettings(string service, IReadOnlyDictionary<string, string> overrides)
    {
        var target = this[service];
        lock (_settings)
        {
            _settings[service] = overrides;
        }
        target.MarkSettingsChanged();
        UpdateState(s => s with { Settings = SettingsSnapshot() });
    }

    /// <summary>The setting overrides of <paramref name="service"/> (on top of compose.yaml's environment) its next start uses.</summary>
    public IReadOnlyDictionary<string, string> SettingsOf(string service)
    {
        _ = this[service];
        lock (_settings)
        {
            return _settings.TryGetValue(service, out var overrides) ? new Dictionary<string, string>(overrides) : new Dictionary<string, string>();
        }
    }

    private Dictionary<string, IReadOnlyDictionary<string, string>> SettingsSnapshot()
    {
        lock (_settings)
        {
            return _settings.Where(p => p.Value.Count > 0)
                .ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, string>)new SortedDictionary<string, string>(p.Value.ToDictionary(), StringComparer.Ordinal));
        }
    }

    internal void Emit(string? service, EnvironmentEventKind kind, string message)
    {
        var e = new EnvironmentEvent(DateTimeOffset.UtcNow, service, kind, message);
        foreach (var observer in Definition.Observers)
        {
            try
            {
                observer(e);
            }
            catch (Exception)
            {
                // An observer (progress display) must never break the environment.
            }
        }
    }

    private void RecordProcess(ProcessIdentity process) =>
        UpdateState(s => s with { Processes = s.Processes.Append(process).ToList() });

    internal void RecordService(RunningService service)
    {
        var instance = service.Instance;
        var record = new ServiceRecord(
            service.Name,
            service.Definition.Replica.Kind.ToString().ToLowerInvariant(),
            service.Endpoints.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString()),
            instance?.ProcessId is { } pid ? ProcessIdentity.Of(pid) : null,
            instance?.ContainerId,
            service.Definition.Replica.Health,
            service.Definition.Environment.Where(e => e.Key.StartsWith("POSTGRES_", StringComparison.Ordinal)).ToDictionary(),
            instance?.LogFile ?? Path.Combine(LogDirectory, service.Name + ".log"),
            service.Status.ToString().ToLowerInvariant());
        UpdateState(s => s with { Services = new Dictionary<string, ServiceRecord>(s.Services) { [service.Name] = record } });
    }

    /// <summary>Adds named endpoints (edge proxy, admin APIs) and seeds to the state file, for the CLI to find.</summary>
    public void RecordEndpoints(IReadOnlyDictionary<string, string> endpoints, IReadOnlyDictionary<string, long>? seeds = null) =>
        UpdateState(s => s with
        {
            Endpoints = s.Endpoints.Concat(endpoints).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value),
            Seeds = seeds is null ? s.Seeds : s.Seeds.Concat(seeds).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value),
        });

    private void UpdateState(Func<EnvironmentState, EnvironmentState> change)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }
        lock (_stateLock)
        {
            if (_state is not null)
            {
                WriteState(change(_state));
            }
        }
    }

    /// <summary>This process is the state's only writer: it keeps the current state and writes every change.</summary>
    private void WriteState(EnvironmentState state)
    {
        lock (_stateLock)
        {
            _state = state;
            Definition.Store.Write(state);
        }
    }

    /// <summary>What the state file says; null once the environment is torn down.</summary>
    public EnvironmentState? State
    {
        get
        {
            lock (_stateLock)
            {
                return _state;
            }
        }
    }

    /// <summary>
    /// Stops every service (dependents first), releases the runtime, removes data directories, logs and, last, the
    /// state file. Best effort: a step that fails is reported as a progress event and the others still run.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await TeardownStepAsync(null, "record the stopping phase", () =>
        {
            lock (_stateLock)
            {
                if (_state is not null)
                {
                    WriteState(_state with { Phase = EnvironmentPhase.Stopping });
                }
            }
            return Task.CompletedTask;
        });
        foreach (var level in StopLevels())
        {
            await Task.WhenAll(level.Select(s => TeardownStepAsync(s.Name, "stop it", s.DisposeInstanceAsync)));
        }
        if (_runtime is not null)
        {
            await TeardownStepAsync(null, $"release the {_runtime.Name} runtime", () => _runtime.DisposeAsync().AsTask());
        }
        await TeardownStepAsync(null, "kill its leftover processes", () =>
        {
            // Anything recorded that is somehow still alive (a service that ignored its stop signal) goes too.
            foreach (var process in State?.Processes ?? [])
            {
                OrphanReaper.Kill(process);
            }
            return Task.CompletedTask;
        });
        await TeardownStepAsync(null, $"remove {WorkDirectory}", () =>
        {
            if (Directory.Exists(WorkDirectory))
            {
                Directory.Delete(WorkDirectory, recursive: true);
            }
            return Task.CompletedTask;
        });
        await TeardownStepAsync(null, $"remove the state of '{Name}'", () =>
        {
            lock (_stateLock)
            {
                _state = null;
            }
            Definition.Store.Delete(Name);
            return Task.CompletedTask;
        });
    }

    private async Task TeardownStepAsync(string? service, string what, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception ex)
        {
            Emit(service, EnvironmentEventKind.Progress, $"teardown: could not {what}: {ex.Message}");
        }
    }

    /// <summary>Groups of services that can stop together: nothing in a group is depended on by a later group.</summary>
    private IEnumerable<IReadOnlyList<RunningService>> StopLevels()
    {
        var depth = new Dictionary<string, int>();
        int Depth(ServiceDefinition s) => depth.TryGetValue(s.Name, out var d) ? d
            : depth[s.Name] = s.DependsOn.Where(x => Topology.Contains(x.Service)).Select(x => Depth(Topology[x.Service]) + 1).DefaultIfEmpty(0).Max();
        foreach (var s in Topology.Services)
        {
            Depth(s);
        }
        return _services.GroupBy(s => depth[s.Name]).OrderByDescending(g => g.Key).Select(g => (IReadOnlyList<RunningService>)g.ToList());
    }
}
