using Replica.Environments.Errors;

namespace Replica.Environments.Docker;

/// <summary>A bridge network for one environment; disposing removes it (remove its containers first).</summary>
public sealed class DockerNetwork : IAsyncDisposable
{
    private readonly DockerClient _docker;

    private DockerNetwork(DockerClient docker, string id, string name)
    {
        _docker = docker;
        Id = id;
        Name = name;
    }

    public string Id { get; }

    public string Name { get; }

    public static async Task<DockerNetwork> CreateAsync(
        DockerClient docker,
        string name,
        IReadOnlyDictionary<string, string> labels,
        CancellationToken cancellationToken = default)
    {
        var id = await docker.CreateNetworkAsync(name, labels, cancellationToken).ConfigureAwait(false);
        return new DockerNetwork(docker, id, name);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _docker.RemoveNetworkAsync(Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ReplicaException)
        {
            // Still in use, or the engine is gone: its owner labels let DockerSweeper remove it later.
        }
    }
}
