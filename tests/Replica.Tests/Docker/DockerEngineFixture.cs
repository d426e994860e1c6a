using System.Runtime.ExceptionServices;
using Replica.Environments.Docker;
using Replica.Tests.Support;

namespace Replica.Tests.Docker;

/// <summary>
/// One engine connection for the docker tests. No engine answering is not a skip: every test that asks for
/// <see cref="Docker"/> fails with the client's own "No Docker engine at ..." message. Whatever the tests leave
/// (they should leave nothing) is removed by run label when the fixture ends.
/// </summary>
public sealed class DockerEngineFixture : IAsyncLifetime
{
    private DockerClient? _docker;
    private ExceptionDispatchInfo? _connectFailure;
    private Task<ImageBuildResult>? _redis;

    /// <summary>Names this test run on every resource it makes.</summary>
    public string RunId { get; } = "test-" + Guid.NewGuid().ToString("N")[..10];

    public DockerClient Docker
    {
        get
        {
            _connectFailure?.Throw();
            return _docker!;
        }
    }

    public string BaseImage { get; } = Environment.GetEnvironmentVariable("REPLICA_BASE_IMAGE") is { Length: > 0 } image
        ? image
        : ImageSettings.DefaultBaseImage;

    public IReadOnlyDictionary<string, string> Labels => ReplicaLabels.ForOwner("docker-tests", RunId);

    public ImageSettings OfflineSettings => new() { Policy = ImagePolicy.Offline, BaseImage = BaseImage, ImagesDirectory = RepositoryPaths.Images };

    /// <summary>The offline Redis image, built once per run (and cached between runs by its content hash).</summary>
    public Task<ImageBuildResult> RedisImageAsync() =>
        _redis ??= new ImageBuilder(Docker, OfflineSettings).RedisAsync();

    /// <summary>The base image the offline images stand on, or a clear failure saying how to make it.</summary>
    public async Task<string> RequireBaseImageAsync()
    {
        var image = await Docker.InspectImageAsync(BaseImage);
        Assert.True(image is not null, $"base image {BaseImage} is missing on {Docker.Endpoint}; make it with environments/images/docker-tier.sh images");
        return BaseImage;
    }

    public async Task InitializeAsync()
    {
        try
        {
            _docker = await DockerClient.ConnectAsync();
        }
        catch (Exception e)
        {
            _connectFailure = ExceptionDispatchInfo.Capture(e);
        }
    }

    public async Task DisposeAsync()
    {
        if (_docker is null)
        {
            return;
        }

        var ours = new Dictionary<string, string?> { [ReplicaLabels.Run] = RunId };
        foreach (var container in await _docker.ListContainersAsync(ours))
        {
            await _docker.RemoveContainerAsync(container.Id);
        }

        foreach (var network in await _docker.ListNetworksAsync(ours))
        {
            await _docker.RemoveNetworkAsync(network.Id);
        }

        foreach (var image in await _docker.ListImagesAsync(ours))
        {
            await _docker.RemoveImageAsync(image.Id, force: true);
        }

        await _docker.DisposeAsync();
    }
}
