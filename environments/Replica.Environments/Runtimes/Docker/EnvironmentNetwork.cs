using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Networks;
using Microsoft.Extensions.Logging.Abstractions;
using Replica.Environments.Docker;
using Replica.Environments.Errors;

namespace Replica.Environments.Runtimes.Docker;

/// <summary>
/// The bridge network of one environment, made with Testcontainers' <see cref="NetworkBuilder"/>; disposing removes
/// it (remove its containers first). <see cref="Gateway"/> is the host's address on it, where a proxy listens for the
/// containers: reachable from every container of the network and from nowhere outside this machine.
/// </summary>
public sealed class EnvironmentNetwork : IAsyncDisposable
{
    private EnvironmentNetwork(INetwork network, string gateway)
    {
        Network = network;
        Gateway = gateway;
    }

    public INetwork Network { get; }

    public string Name => Network.Name;

    /// <summary>The IPv4 gateway: this machine's address on the bridge.</summary>
    public string Gateway { get; }

    /// <summary>
    /// Creates the network. A network of that name already there is an error naming who made it: engines before
    /// API 1.44 accept a second network of the same name unless the request says not to, which the 1.44 model of
    /// Docker.DotNet cannot say, so the name is looked up first.
    /// </summary>
    public static async Task<EnvironmentNetwork> CreateAsync(
        DockerEngine engine,
        string name,
        string environment,
        IReadOnlyDictionary<string, string> labels,
        CancellationToken cancellationToken)
    {
        await ThrowIfTakenAsync(engine, name, environment, cancellationToken);
        var network = new NetworkBuilder().WithName(name).WithLabel(labels).WithLogger(NullLogger.Instance).Build();
        try
        {
            await network.CreateAsync(cancellationToken);
            var info = await engine.Client.Networks.InspectNetworkAsync(name, cancellationToken);
            // The IPv4 pool: a network with IPv6 enabled lists a second one.
            var pool = info.IPAM?.Config?.FirstOrDefault(c => !string.IsNullOrEmpty(c.Subnet) && !c.Subnet.Contains(':'));
            var gateway = pool?.Gateway is { Length: > 0 } address
                ? address
                : throw new ReplicaException(
                    $"{engine.Endpoint}: network {name} has no IPv4 gateway (subnet {pool?.Subnet ?? "none"})",
                    hint: "the engine's default address pools give bridge networks one; check dockerd's --default-address-pool");
            return new EnvironmentNetwork(network, gateway);
        }
        catch (DockerApiException e)
        {
            await DeleteQuietlyAsync(network);
            throw new ReplicaException($"Docker engine at {engine.Endpoint}: create network {name} failed: {DockerErrors.EngineMessage(e)}", inner: e);
        }
        catch
        {
            await DeleteQuietlyAsync(network);
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await DeleteQuietlyAsync(Network);

    private static async Task ThrowIfTakenAsync(DockerEngine engine, string name, string environment, CancellationToken cancellationToken)
    {
        var byName = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [name] = true } };
        var existing = (await engine.Client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = byName }, cancellationToken))
            .FirstOrDefault(n => n.Name == name);
        if (existing is null)
        {
            return;
        }
        var owner = ReplicaLabels.OwnerOf((existing.Labels ?? new Dictionary<string, string>()).AsReadOnly());
        throw owner is null
            ? new ReplicaException(
                $"network {name} already exists on the Docker engine at {engine.Endpoint}, and Replica did not make it",
                kind: ReplicaErrorKind.MissingPrerequisite,
                hint: $"remove it (docker network rm {name}), or choose another environment name with --name")
            : new ReplicaException(
                $"network {name} already exists on the Docker engine at {engine.Endpoint}: environment '{environment}' is up, run by pid {owner.Pid}",
                kind: ReplicaErrorKind.MissingPrerequisite,
                hint: "stop it with `replica down` (from the state directory it was started with), or choose another name with --name");
    }

    private static async Task DeleteQuietlyAsync(INetwork network)
    {
        try
        {
            await network.DisposeAsync();
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or InvalidOperationException)
        {
            // Still in use, or the engine is gone: its owner labels let the sweep remove it later.
        }
    }
}
