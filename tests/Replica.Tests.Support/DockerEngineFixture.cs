using System.Runtime.ExceptionServices;
using Docker.DotNet;
using Docker.DotNet.Models;
using ImageBuildResult = Replica.Environments.Docker.ImageBuildResult;
using Replica.Environments.Docker;

namespace Replica.Tests.Support;

/// <summary>
/// Testcontainers configured for the engine, once, for the docker tests. No engine answering is not a skip: every
/// test that asks for <see cref="Engine"/> fails with Replica's own "No Docker engine at ..." message. Whatever the
/// tests leave (they should leave nothing) is removed by run label when the fixture ends.
/// </summary>
public sealed class DockerEngineFixture : IAsyncLifetime
{
    private DockerEngine? _engine;
    private ExceptionDispatchInfo? _connectFailure;
    private Task<ImageBuildResult>? _redis;

    /// <summary>Names this test run on every resource it makes.</summary>
    public string RunId { get; } = "test-" + Guid.NewGuid().ToString("N")[..10];

    public DockerEngine Engine
    {
        get
        {
            _connectFailure?.Throw();
            return _engine!;
        }
    }

    /// <summary>The Docker.DotNet client Testcontainers brings, as Replica configured it: what the tests look at the engine with.</summary>
    public IDockerClient Docker => Engine.Client;

    public string BaseImage { get; } = Environment.GetEnvironmentVariable("REPLICA_BASE_IMAGE") is { Length: > 0 } image
        ? image
        : ImageSettings.DefaultBaseImage;

    public IReadOnlyDictionary<string, string> Labels => ReplicaLabels.ForOwner("docker-tests", RunId);

    public ImageSettings OfflineSettings => new() { Policy = ImagePolicy.Offline, BaseImage = BaseImage, ImagesDirectory = RepositoryPaths.Images };

    /// <summary>The offline Redis image, built once per run (and cached between runs by its content hash).</summary>
    public Task<ImageBuildResult> RedisImageAsync() =>
        _redis ??= new ImageBuilder(Engine, OfflineSettings).RedisAsync();

    /// <summary>The base image the offline images stand on, or a clear failure saying how to make it.</summary>
    public async Task<string> RequireBaseImageAsync()
    {
        var image = await InspectImageAsync(BaseImage);
        Assert.True(image is not null, $"base image {BaseImage} is missing on {Engine.Endpoint}; make it with environments/images/docker-tier.sh images");
        return BaseImage;
    }

    /// <summary>The image, or null when the engine has none by that name or id.</summary>
    public Task<ImageInspectResponse?> InspectImageAsync(string name) => new ImageBuilder(Engine, OfflineSettings).InspectAsync(name);

    /// <summary>Containers (running or not) and networks carrying <paramref name="key"/>=<paramref name="value"/>.</summary>
    public async Task<(IList<ContainerListResponse> Containers, IList<NetworkResponse> Networks)> LabelledAsync(string key, string value)
    {
        var filter = LabelFilter.Of(key, value);
        return (await Docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }),
            await Docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }));
    }

    public Task<(IList<ContainerListResponse> Containers, IList<NetworkResponse> Networks)> EnvironmentResourcesAsync(string environment) =>
        LabelledAsync(ReplicaLabels.Environment, environment);

    public async Task InitializeAsync()
    {
        try
        {
            _engine = await TestcontainersConfiguration.EnsureConfiguredAsync();
        }
        catch (Exception e)
        {
            _connectFailure = ExceptionDispatchInfo.Capture(e);
        }
    }

    public async Task DisposeAsync()
    {
        if (_engine is null)
        {
            return;
        }

        var ours = new Dictionary<string, string?> { [ReplicaLabels.Run] = RunId };
        await new DockerSweeper(Docker).RemoveLabelledAsync(ours);
        foreach (var image in await Docker.Images.ListImagesAsync(new ImagesListParameters { Filters = LabelFilter.Of(ours) }))
        {
            await Docker.Images.DeleteImageAsync(image.ID, new ImageDeleteParameters { Force = true });
        }
    }
}
