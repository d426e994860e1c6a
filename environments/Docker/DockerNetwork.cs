using Replica.Environments.Errors;

namespace Replica.Environments.Docker;

/// <summary>
/// A bridge network for one environment; disposing removes it (remove its containers first). <see cref="Gateway"/>
/// is the host's address on it, where a proxy listens for the containers.
/// </summary>
public sealed class DockerNetwork : IAsyncDisposable
{
    private readonly DockerClient _docker;

    private DockerNetwork(DockerClient docker, string id, string name, string gateway)
    {
        _docker = docker;
        Id = id;
        Name = name;
        Gateway = gateway;
    }

    public string Id { get; }

    public string Name { get; }

    /// <summary>The IPv4 gateway: this machine's address on the bridge, reachable from the network's containers.</summary>
    public string Gateway { get; }

    public static async Task<DockerNetwork> CreateAsync(
        DockerClient docker,
        string name,
        IReadOnlyDictionary<string, string> labels,
        CancellationToken cancellationToken = default)
    {
        var id = await docker.CreateNetworkAsync(name, labels, cancellationToken).ConfigureAwait(false);
        try
        {
            var info = await docker.InspectNetworkAsync(id, cancellationToken).ConfigureAwait(false);
            var gateway = info.Gateway ?? throw new ReplicaException(
                $"Docker engine at {docker.Endpoint}: network {name} has no IPv4 gateway (subnet {info.Subnet ?? "none"})",
                hint: "the engine's default address pools give bridge networks one; check dockerd's --default-address-pool");
            return new DockerNetwork(docker, id, name, gateway);
        }
        catch
        {
            await new DockerNetwork(docker, id, name, "").DisposeAsync().ConfigureAwait(false);
            throw;
        }
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
