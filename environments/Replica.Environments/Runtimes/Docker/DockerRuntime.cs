using Replica.Environments.Compose;
using Replica.Environments.Docker;
using Replica.Environments.Errors;
using Replica.Environments.Processes;

namespace Replica.Environments.Runtimes.Docker;

/// <summary>
/// Runs the services as Testcontainers containers on one bridge network per environment (replica-NAME), where they
/// reach each other by service name, as under Compose. Host ports are picked here (ephemeral 127.0.0.1 ports, or the compose
/// file's fixed ones) and published on 127.0.0.1 only, so endpoints are known before start and stay the same across
/// restarts. Everything made for the environment carries <see cref="ReplicaLabels.ForOwner"/>: disposing removes
/// it, and what a killed run left is swept at the next start.
/// </summary>
public sealed class DockerRuntime : IServiceRuntime
{
    /// <summary>The runtime's name: in --runtime, and in the state file (which the reaper's docker cleaner reads).</summary>
    public const string RuntimeName = "docker";

    private const string LoopbackHost = "127.0.0.1";

    private readonly DockerRuntimeOptions _options;
    private readonly string _runId = Guid.NewGuid().ToString("N")[..12];
    // Picked host ports stay held until their container starts (see StartAsync).
    private readonly EndpointReservations _reserved = new(_ => LoopbackHost, holdPorts: true);
    private readonly Dictionary<string, string> _images = [];
    private readonly List<DockerServiceInstance> _instances = [];
    private DockerEngine? _engine;
    private EnvironmentNetwork? _network;

    public DockerRuntime(DockerRuntimeOptions options) => _options = options;

    public string Name => RuntimeName;

    /// <summary>
    /// The gateway of the environment's network: the host's address on that bridge. A proxy listening there is
    /// reachable from every container of the environment and from nowhere outside this machine.
    /// </summary>
    public string ServiceFacingHost => _network?.Gateway
        ?? throw new InvalidOperationException("the docker runtime knows the service-facing host once PrepareAsync has created the network");

    public string NetworkName => $"replica-{_options.EnvironmentName}";

    /// <summary>The labels of everything this runtime creates: this process owns them, for this run.</summary>
    public IReadOnlyDictionary<string, string> Labels => ReplicaLabels.ForOwner(_options.EnvironmentName, _runId);

    public string ContainerName(string service) => $"replica-{_options.EnvironmentName}-{service}";

    /// <summary>
    /// Checks the topology (before any engine is asked) and configures Testcontainers for the engine; then, at the same
    /// time, sweeps what dead runs left and creates the network (the sweep first: it may remove a dead run's network
    /// of the same name), and provides every image (pulled, built, or found in the content-hash cache). The two touch
    /// nothing of each other's: cached images carry no owner labels. The network's failure (the name is taken, the
    /// engine refuses) is reported at once, cancelling the images; a failure of the images is reported once the
    /// network is made, which <see cref="DisposeAsync"/> removes, as after any failed start.
    /// </summary>
    public async Task PrepareAsync(Topology topology, CancellationToken cancellationToken)
    {
        Validate(topology);
        _engine = await TestcontainersConfiguration.EnsureConfiguredAsync(cancellationToken);
        var images = _options.Images;
        Report($"Docker engine {_engine.ServerVersion} at {_engine.Endpoint} (API {_engine.ApiVersion}); {images.Policy.ToString().ToLowerInvariant()} images"
               + (images.Policy == ImagePolicy.Offline ? $" on {images.BaseImage}" : ""));

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // On the thread pool: hashing a build context or a project's sources runs before the first engine call.
        var provided = Task.Run(() => ProvideImagesAsync(topology, failed.Token), CancellationToken.None);
        try
        {
            await SweepAndCreateNetworkAsync(_engine, failed.Token);
        }
        catch
        {
            await failed.CancelAsync();
            // Its own failure or cancellation says nothing more than the network's.
            await provided.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            throw;
        }
        await provided;
    }

    private async Task SweepAndCreateNetworkAsync(DockerEngine engine, CancellationToken cancellationToken)
    {
        var sweep = await new DockerSweeper(engine.Client).SweepAsync(cancellationToken);
        if (sweep.RemovedContainers.Count + sweep.RemovedNetworks.Count + sweep.RemovedImages.Count > 0)
        {
            Report($"swept what runs that are gone left: {sweep.RemovedContainers.Count} container(s), {sweep.RemovedNetworks.Count} network(s), {sweep.RemovedImages.Count} image(s)");
        }
        foreach (var failure in sweep.Failures)
        {
            Report($"could not sweep {failure}");
        }

        _network = await EnvironmentNetwork.CreateAsync(engine, NetworkName, _options.EnvironmentName, Labels, cancellationToken);
        Report($"network {_network.Name} (gateway {_network.Gateway})");
    }

    /// <summary>One service after another: a build or a publish has the machine's cores to itself.</summary>
    private async Task ProvideImagesAsync(Topology topology, CancellationToken cancellationToken)
    {
        foreach (var service in topology.Services)
        {
            _images[service.Name] = await ProvideImageAsync(service, topology, cancellationToken);
        }
    }

    public async Task<IServiceInstance> StartAsync(ServiceLaunch launch, CancellationToken cancellationToken)
    {
        var engine = _engine ?? throw new InvalidOperationException("PrepareAsync first");
        var network = _network ?? throw new InvalidOperationException("PrepareAsync first");
        var service = launch.Service;
        var endpoints = ReserveEndpoints(service);
        var labels = new Dictionary<string, string>(Labels) { [ReplicaLabels.Service] = service.Name };
        var output = new LogFileOutput(launch.LogFile);
        DockerServiceInstance instance;
        try
        {
            // x-replica.environment is for processes only: compose's environment: is already right for containers.
            var container = ServiceContainer.Build(service, _images[service.Name], ContainerName(service.Name), launch.Environment, labels,
                endpoints, network.Network, output, _options.StopGrace);
            // Held since the endpoints were handed out (proxies and dependents are wired first, the dependencies start
            // and get healthy meanwhile): a port merely picked could have become another process's outgoing local
            // port in that time, and the engine's bind then fails with "port is already allocated". Released only
            // now, because an engine may bind without SO_REUSEADDR.
            _reserved.Release(service);
            instance = await DockerServiceInstance.RunAsync(container, engine.Client, service.Name, ContainerName(service.Name), endpoints,
                launch.LogFile, output, ServiceContainer.ComposeHealthcheck(service), _options.StopGrace, cancellationToken);
        }
        catch
        {
            output.Dispose();
            throw;
        }
        lock (_instances)
        {
            _instances.Add(instance);
        }
        return instance;
    }

    /// <summary>Fixed now: an ephemeral 127.0.0.1 port per declared port (held until the container starts), or the compose file's own host port.</summary>
    public IReadOnlyDictionary<int, HostEndpoint> ReserveEndpoints(ServiceDefinition service) => _reserved.For(service);

    /// <summary>Null: containers on the environment's network reach a dependency by its service name, as written.</summary>
    public string? DirectAddress(DependencyConnection connection, IReadOnlyDictionary<int, HostEndpoint> dependency) => null;

    private void Validate(Topology topology)
    {
        var problems = new List<ConfigurationProblem>();
        foreach (var service in topology.Services)
        {
            foreach (var port in service.Ports.Where(p => p.HostIp is not null and not LoopbackHost and not "localhost"))
            {
                problems.Add(new ConfigurationProblem(port.Location,
                    $"services.{service.Name}.ports: the docker runtime publishes on 127.0.0.1 only, not on {port.HostIp}; leave the address out"));
            }
            if (service.Replica.DotnetProject is { } project && !File.Exists(Path.Combine(topology.BaseDirectory, project)))
            {
                problems.Add(new ConfigurationProblem(service.Location, $"services.{service.Name}.x-replica.dotnet: project file not found: {project}"));
            }
            else if (service.Replica.DotnetProject is null && service.Replica.Kind == ServiceKind.Process && service.Build is { } build)
            {
                if (!Directory.Exists(build.Context))
                {
                    problems.Add(new ConfigurationProblem(service.Location, $"services.{service.Name}.build: context directory not found: {build.Context}"));
                }
                else if (!File.Exists(Path.Combine(build.Context, build.Dockerfile)))
                {
                    problems.Add(new ConfigurationProblem(service.Location,
                        $"services.{service.Name}.build: no {build.Dockerfile} in the context {build.Context} (the Dockerfile must be inside the context)"));
                }
            }
        }
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }
        foreach (var service in topology.Services)
        {
            foreach (var port in service.Ports.Where(p => p.HostPort is not null))
            {
                PortAllocator.EnsureFree(LoopbackHost, port.HostPort!.Value, $"services.{service.Name}.ports ({port.Location})");
            }
        }
    }

    /// <summary>
    /// The image a service runs, by kind and policy: Redis and PostgreSQL from the official images (the compose
    /// image:) or the offline ones; a .NET project (x-replica.dotnet) published onto a base image; a build: context
    /// built; anything else its image:, pulled under the official policy and required present under the offline one.
    /// </summary>
    private async Task<string> ProvideImageAsync(ServiceDefinition service, Topology topology, CancellationToken cancellationToken)
    {
        var engine = _engine!;
        var settings = _options.Images;
        var progress = _options.Progress is { } report ? new SynchronousProgress<string>(report) : null;
        var builder = new ImageBuilder(engine, settings, progress);
        switch (service.Replica.Kind)
        {
            case ServiceKind.Redis:
                var redis = service.Image is { } redisImage ? settings with { OfficialRedis = WithTag(redisImage) } : settings;
                return (await new ImageBuilder(engine, redis, progress).RedisAsync(cancellationToken)).Tag;
            case ServiceKind.Postgres:
                var postgres = service.Image is { } postgresImage ? settings with { OfficialPostgres = WithTag(postgresImage) } : settings;
                return (await new ImageBuilder(engine, postgres, progress).PostgresAsync(cancellationToken)).Tag;
        }
        if (service.Replica.DotnetProject is { } project)
        {
            return (await builder.ServiceAsync(service.Name, Path.GetFullPath(Path.Combine(topology.BaseDirectory, project)), cancellationToken)).Tag;
        }
        if (service.Build is { } build)
        {
            var tag = service.Image is { } named ? WithTag(named) : $"replica/{_options.EnvironmentName}-{service.Name}:local";
            return (await builder.EnsureBuiltAsync(tag, BuildContext.FromDirectory(build.Context), baseImage: null,
                dockerfile: build.Dockerfile, cancellationToken: cancellationToken)).Tag;
        }
        var image = WithTag(service.Image!);
        if (settings.Policy == ImagePolicy.Official)
        {
            return (await builder.EnsurePresentAsync(image, cancellationToken)).Tag;
        }
        return await builder.InspectAsync(image, cancellationToken) is not null
            ? image
            : throw new ReplicaException(
                $"services.{service.Name}: image {image} is not on the Docker engine at {engine.Endpoint}, and the offline image policy pulls nothing",
                kind: ReplicaErrorKind.MissingPrerequisite,
                hint: "load or build it on the engine (docker load, docker build -t), give the service a build: section, or use --images official where a registry is reachable");
    }

    /// <summary>A reference without a tag means :latest, as for docker pull; the engine's pull needs it spelt out.</summary>
    private static string WithTag(string image) =>
        image.Contains('@') || image.LastIndexOf(':') > image.LastIndexOf('/') ? image : image + ":latest";

    private void Report(string message) => _options.Progress?.Invoke(message);

    /// <summary>Removes every container this runtime started (those still there), then the network.</summary>
    public async ValueTask DisposeAsync()
    {
        _reserved.Dispose();
        List<DockerServiceInstance> instances;
        lock (_instances)
        {
            instances = [.. _instances];
        }
        await Task.WhenAll(instances.Select(i => i.DisposeAsync().AsTask()));
        if (_engine is null)
        {
            return;
        }
        try
        {
            // A container whose start failed halfway (or was cancelled) is not in the list; its run label finds it.
            await new DockerSweeper(_engine.Client).RemoveLabelledAsync(new Dictionary<string, string?> { [ReplicaLabels.Run] = _runId });
        }
        catch (Exception e) when (e is global::Docker.DotNet.DockerApiException or HttpRequestException or IOException)
        {
            // The engine is gone: the owner labels let the next start's sweep remove what is left.
        }
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
    }
}
