using System.Text.RegularExpressions;
using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Environments.Processes;

namespace Replica.Environments.Runtimes.Process;

/// <summary>
/// Runs every service as a local process on 127.0.0.1: redis-server and PostgreSQL from the machine (fresh data
/// directory each), other services from x-replica.command or a .NET project's build output. No Docker needed.
/// The ephemeral ports it picks stay held until the environment is disposed (<see cref="PortReservation"/>), so no
/// other process takes one before its service binds it; an x-replica.command service, which may bind without
/// SO_REUSEADDR, gets its ports released just before it starts.
/// </summary>
public sealed partial class ProcessRuntime : IServiceRuntime
{
    private const string LoopbackHost = "127.0.0.1";
    private readonly ProcessRuntimeOptions _options;
    private readonly Dictionary<string, string> _dotnetEntryPoints = [];
    private readonly EndpointReservations _reserved = new(p => p.HostIp ?? LoopbackHost, holdPorts: true);
    private string? _redisServer;
    private string? _postgresBin;
    private string? _postgresUser;

    public ProcessRuntime(ProcessRuntimeOptions options) => _options = options;

    public string Name => "process";

    public string ServiceFacingHost => LoopbackHost;

    [GeneratedRegex(@"\{port(?::(?<n>\d+))?\}")]
    private static partial Regex PortPlaceholder();

    public async Task PrepareAsync(Topology topology, CancellationToken cancellationToken)
    {
        var problems = new List<ConfigurationProblem>();
        foreach (var service in topology.Services)
        {
            switch (service.Replica.Kind)
            {
                case ServiceKind.Redis:
                    _redisServer ??= LocalBinaries.RedisServer();
                    break;
                case ServiceKind.Postgres:
                    _postgresBin ??= LocalBinaries.PostgresBinDirectory();
                    _postgresUser ??= LocalBinaries.PostgresRunAsUser();
                    break;
                case ServiceKind.Process when service.Replica.Command is null && service.Replica.DotnetProject is null:
                    problems.Add(new ConfigurationProblem(service.Location,
                        $"services.{service.Name}: the process runtime does not know how to run it — add x-replica.command (a command line) or x-replica.dotnet (a .csproj), or use --runtime docker"));
                    break;
                case ServiceKind.Process when service.Replica.Command is { Count: > 0 } command:
                    if (BinaryPath.Find(command[0]) is null && !File.Exists(Path.Combine(topology.BaseDirectory, command[0])))
                    {
                        throw new ReplicaException(
                            $"services.{service.Name}: x-replica.command runs '{command[0]}', which is not on PATH or under {topology.BaseDirectory}",
                            kind: ReplicaErrorKind.MissingPrerequisite, hint: "install it, or give its full path");
                    }
                    break;
            }
            foreach (var value in service.Replica.Environment.Values.Concat(service.Replica.Command ?? []))
            {
                foreach (Match m in PortPlaceholder().Matches(value))
                {
                    if (m.Groups["n"].Success && service.Ports.All(p => p.ContainerPort != PlaceholderPort(m)))
                    {
                        problems.Add(new ConfigurationProblem(service.Location, $"services.{service.Name}.x-replica: {m.Value} names a port the service does not declare under ports:"));
                    }
                    else if (!m.Groups["n"].Success && service.Ports.Count == 0)
                    {
                        problems.Add(new ConfigurationProblem(service.Location, $"services.{service.Name}.x-replica: {{port}} is used but the service declares no ports"));
                    }
                }
            }
            var hostIpProblems = problems.Count;
            foreach (var port in service.Ports.Where(p => p.HostIp is not null && !IsIPv4(p.HostIp)))
            {
                problems.Add(new ConfigurationProblem(port.Location,
                    $"services.{service.Name}.ports: host_ip '{port.HostIp}' — the process runtime listens on IPv4 addresses only, such as 127.0.0.1 or 0.0.0.0"));
            }
            if (problems.Count > hostIpProblems)
            {
                continue;
            }
            foreach (var port in service.Ports.Where(p => p.HostPort is not null))
            {
                PortAllocator.EnsureFree(port.HostIp ?? LoopbackHost, port.HostPort!.Value, $"services.{service.Name}.ports ({port.Location})");
            }
        }
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }
        foreach (var service in topology.Services.Where(s => s.Replica.DotnetProject is not null))
        {
            var project = Path.GetFullPath(Path.Combine(topology.BaseDirectory, service.Replica.DotnetProject!));
            _dotnetEntryPoints[service.Name] = await DotnetProjectOutput.ResolveAsync(project, BuildConfiguration.Current, _options.DotnetAssembliesOnly, _options.Progress, cancellationToken);
        }
    }

    public async Task<IServiceInstance> StartAsync(ServiceLaunch launch, CancellationToken cancellationToken)
    {
        var service = launch.Service;
        var endpoints = ReserveEndpoints(service);
        var dataDirectory = Path.Combine(_options.WorkDirectory, service.Name);
        string[] command;
        string? runAs = null;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var stopSignal = UnixSignal.SIGTERM;
        // What the process leaves outside its work directory when killed, removed once it has exited (none by default).
        Action? afterExit = null;
        var workingDirectory = Path.GetDirectoryName(Path.GetFullPath(service.Location.File))!;

        switch (service.Replica.Kind)
        {
            case ServiceKind.Redis:
                Directory.CreateDirectory(dataDirectory);
                var redisPort = Primary(service, endpoints);
                command = [_redisServer ?? LocalBinaries.RedisServer(), "--port", redisPort.Port.ToString(), "--bind", redisPort.Host,
                    "--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir", dataDirectory];
                break;
            case ServiceKind.Postgres:
                var bin = _postgresBin ??= LocalBinaries.PostgresBinDirectory();
                runAs = _postgresUser ??= LocalBinaries.PostgresRunAsUser();
                var user = launch.Environment.GetValueOrDefault("POSTGRES_USER") is { Length: > 0 } u ? u : "postgres";
                var database = launch.Environment.GetValueOrDefault("POSTGRES_DB") is { Length: > 0 } d ? d : user;
                var template = await PostgresTemplate.EnsureAsync(bin, user, database, runAs, _options.CacheDirectory, _options.Progress, cancellationToken);
                if (!Directory.Exists(dataDirectory))
                {
                    await PostgresTemplate.CopyAsync(template, dataDirectory, cancellationToken);
                }
                var pgPort = Primary(service, endpoints);
                // TCP only (`-k ""`: no Unix-domain socket). Clients reach PostgreSQL through its port, where the TCP fault
                // proxy stands; and a socket in the work directory fails the start when the path passes the kernel's
                // 107 bytes (a long REPLICA_WORK_DIR or environment name).
                command = [Path.Combine(bin, "postgres"), "-D", dataDirectory, "-p", pgPort.Port.ToString(), "-k", "",
                    "-c", $"listen_addresses={pgPort.Host}", "-c", "fsync=off", "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off", "-c", "max_connections=200", "-c", "logging_collector=off", "-c", PostgresSharedMemory.DynamicSharedMemorySetting];
                afterExit = () => PostgresSharedMemory.RemoveLeftovers(dataDirectory);
                // SIGTERM is PostgreSQL's "smart" shutdown, which waits for clients to leave; SIGINT is "fast".
                stopSignal = UnixSignal.SIGINT;
                workingDirectory = "/";
                break;
            default:
                foreach (var (key, value) in launch.Environment.Concat(launch.ProcessEnvironment))
                {
                    environment[key] = ExpandPorts(value, service, endpoints);
                }
                if (_dotnetEntryPoints.TryGetValue(service.Name, out var entryPoint))
                {
                    command = DotnetProjectOutput.IsAssembly(entryPoint) ? ["dotnet", entryPoint] : [entryPoint];
                }
                else
                {
                    command = service.Replica.Command!.Select(a => ExpandPorts(a, service, endpoints)).ToArray();
                    _reserved.Release(service);
                }
                break;
        }

        var instance = new ProcessServiceInstance(
            service.Name,
            endpoints,
            launch.LogFile,
            () => ProcessGroupLauncher.Start(command, environment, workingDirectory, launch.LogFile, runAs),
            stopSignal,
            identity => _options.ProcessStarted?.Invoke(service.Name, identity),
            afterExit);
        await instance.StartAsync(cancellationToken);
        return instance;
    }

    public IReadOnlyDictionary<int, HostEndpoint> ReserveEndpoints(ServiceDefinition service) => _reserved.For(service);

    public string? DirectAddress(DependencyConnection connection, IReadOnlyDictionary<int, HostEndpoint> dependency) =>
        dependency.TryGetValue(connection.ContainerPort, out var endpoint) ? endpoint.ToString() : null;

    private static HostEndpoint Primary(ServiceDefinition service, IReadOnlyDictionary<int, HostEndpoint> endpoints) =>
        service.PrimaryPort is { } p ? endpoints[p] : new HostEndpoint(LoopbackHost, PortAllocator.Ephemeral());

    private static string ExpandPorts(string value, ServiceDefinition service, IReadOnlyDictionary<int, HostEndpoint> endpoints) =>
        PortPlaceholder().Replace(value, m =>
        {
            var port = m.Groups["n"].Success ? PlaceholderPort(m) : service.PrimaryPort ?? 0;
            return endpoints.TryGetValue(port, out var e) ? e.Port.ToString() : m.Value;
        });

    /// <summary>The N of {port:N}; -1 (a port no service declares) when it is out of range.</summary>
    private static int PlaceholderPort(Match m) => int.TryParse(m.Groups["n"].Value, out var port) ? port : -1;

    private static bool IsIPv4(string host) =>
        System.Net.IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;

    public ValueTask DisposeAsync()
    {
        _reserved.Dispose();
        return ValueTask.CompletedTask;
    }
}
