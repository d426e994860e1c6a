using Docker.DotNet;
using DotNet.Testcontainers.Configurations;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;

namespace Replica.Environments.Docker;

/// <summary>
/// Points Testcontainers at this machine's engine, once per process, before anything is built, so that no user has to
/// set a Testcontainers variable or write ~/.testcontainers.properties:
/// <list type="bullet">
/// <item>the engine: DOCKER_HOST, else the local socket; a DOCKER_HOST that is not an endpoint is bad input;
/// no engine answering is a missing prerequisite, naming where it was looked for;</item>
/// <item>the API version: the engine is asked (GET /version, which needs none), and the older of what it speaks and
/// what Testcontainers is written for (1.44) is used, so Debian's dockerd 20.10 (1.41) works; DOCKER_API_VERSION pins
/// it instead;</item>
/// <item>the address containers are reached at: 127.0.0.1, where Replica publishes every port (inside a container
/// Testcontainers would otherwise use the docker0 bridge address);</item>
/// <item>Ryuk, Testcontainers' reaper container: off unless <see cref="RyukVariable"/> is true. Its image is pulled
/// from a registry, which a machine without one cannot do; what a killed run leaves is removed by label instead
/// (<see cref="DockerSweeper"/>).</item>
/// </list>
/// Builders made after this call (ContainerBuilder, NetworkBuilder, ImageFromDockerfileBuilder, the module builders)
/// take the endpoint from <see cref="TestcontainersSettings.OS"/>, which this sets.
/// </summary>
public static class TestcontainersConfiguration
{
    /// <summary>Set to true (or 1, yes, on) to let Testcontainers start Ryuk; false by default.</summary>
    public const string RyukVariable = "REPLICA_RYUK";

    /// <summary>The address Testcontainers reports for containers: the one Replica publishes ports on.</summary>
    public const string ContainerHost = "127.0.0.1";

    /// <summary>The newest API Testcontainers 4.17 (and Docker.DotNet with it) is written against; used when the engine offers it.</summary>
    public static readonly Version PreferredApiVersion = new(1, 44);

    /// <summary>The oldest API Replica supports: Debian bookworm's dockerd 20.10.</summary>
    public static readonly Version MinApiVersion = new(1, 41);

    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(10);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static DockerEngine? _engine;

    /// <summary>
    /// Configures Testcontainers for the engine (see the type's summary) the first time it is called in a process and
    /// returns what it found; later calls return the same at once. A failure configures nothing, and the next call
    /// tries again.
    /// </summary>
    public static async Task<DockerEngine> EnsureConfiguredAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _engine) is { } configured)
        {
            return configured;
        }
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_engine is { } engine)
            {
                return engine;
            }
            // Every setting is read before the engine is asked: bad input is said as such even when no engine runs.
            var endpoint = DockerEndpoint.FromEnvironment();
            var pinned = ReadPinnedVersion();
            var ryuk = ReadRyukEnabled();
            var (serverVersion, engineApi, engineMinApi) = await AskEngineAsync(endpoint, cancellationToken).ConfigureAwait(false);
            var apiVersion = ChooseApiVersion(engineApi, engineMinApi, pinned, endpoint);

            var endpointConfiguration = new EngineEndpointConfiguration(endpoint.Uri, apiVersion);
            TestcontainersSettings.OS = new Unix(endpointConfiguration);
            TestcontainersSettings.DockerHostOverride = ContainerHost;
            TestcontainersSettings.ResourceReaperEnabled = ryuk;
            var client = endpointConfiguration.GetDockerClientBuilder().Build();
            Volatile.Write(ref _engine, new DockerEngine(endpoint, serverVersion, engineApi, apiVersion, ryuk, client));
            return _engine!;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// The API version to speak: <paramref name="pinned"/> (DOCKER_API_VERSION) when set and the engine speaks it,
    /// else the older of the engine's newest and <see cref="PreferredApiVersion"/>, never below the engine's oldest.
    /// An engine older than <see cref="MinApiVersion"/> is a missing prerequisite.
    /// </summary>
    public static Version ChooseApiVersion(Version engineApi, Version? engineMinApi, Version? pinned, DockerEndpoint endpoint)
    {
        if (pinned is not null)
        {
            return pinned <= engineApi
                ? pinned
                : throw new ReplicaException(
                    $"DOCKER_API_VERSION={pinned} is newer than API {engineApi}, the newest the engine at {endpoint} speaks",
                    kind: ReplicaErrorKind.BadInput,
                    hint: "unset DOCKER_API_VERSION to let Replica ask the engine, or set it to the engine's version");
        }
        if (engineApi < MinApiVersion)
        {
            throw new ReplicaException(
                $"Docker engine at {endpoint} speaks API {engineApi}; Replica needs {MinApiVersion} or newer",
                kind: ReplicaErrorKind.MissingPrerequisite,
                hint: "install Docker 20.10 or newer");
        }
        var chosen = engineApi < PreferredApiVersion ? engineApi : PreferredApiVersion;
        return engineMinApi is not null && chosen < engineMinApi ? engineMinApi : chosen;
    }

    /// <summary>DOCKER_API_VERSION as major.minor, or null when unset; anything else is bad input naming it.</summary>
    public static Version? ReadPinnedVersion(string? text = null)
    {
        text ??= Environment.GetEnvironmentVariable("DOCKER_API_VERSION");
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (!Version.TryParse(text.Trim(), out var version) || version.Build >= 0)
        {
            throw new ReplicaException(
                $"DOCKER_API_VERSION: '{text}' is not an API version; expected major.minor such as 1.44",
                kind: ReplicaErrorKind.BadInput);
        }
        return version >= MinApiVersion
            ? version
            : throw new ReplicaException(
                $"DOCKER_API_VERSION={version} is older than {MinApiVersion}, the oldest API Replica speaks",
                kind: ReplicaErrorKind.BadInput,
                hint: "unset DOCKER_API_VERSION to let Replica ask the engine");
    }

    /// <summary><see cref="RyukVariable"/>: true, 1, yes or on enables Ryuk; false, 0, no, off or unset leaves it off.</summary>
    public static bool ReadRyukEnabled(string? text = null) => EnvironmentSwitch.Read(RyukVariable, text);

    private static async Task<(string ServerVersion, Version Api, Version? MinApi)> AskEngineAsync(DockerEndpoint endpoint, CancellationToken cancellationToken)
    {
        // Unversioned: GET /version is answered by every engine, whatever API it speaks.
        using var client = new DockerClientBuilder().WithEndpoint(endpoint.Uri).WithApiVersion(null).Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(VersionTimeout);
        try
        {
            var version = await client.System.GetVersionAsync(timeout.Token).ConfigureAwait(false);
            var api = Version.TryParse(version.APIVersion, out var parsed)
                ? parsed
                : throw new ReplicaException($"Docker engine at {endpoint}: GET /version did not say which API version it speaks ('{version.APIVersion}')", kind: ReplicaErrorKind.MissingPrerequisite);
            return (version.Version, api, Version.TryParse(version.MinAPIVersion, out var min) ? min : null);
        }
        catch (DockerApiException e)
        {
            throw new ReplicaException($"No Docker engine at {endpoint}: GET /version answered {(int)e.StatusCode}: {DockerErrors.EngineMessage(e)}",
                kind: ReplicaErrorKind.MissingPrerequisite, hint: DockerErrors.NoEngineHint, inner: e);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && DockerErrors.IsTransportFailure(e))
        {
            throw DockerErrors.NoEngine(endpoint, e, VersionTimeout);
        }
    }
}
