using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Replica.Environments.Docker;

public sealed partial class DockerClient
{
    /// <summary>Creates a bridge network; containers on it reach each other by their aliases.</summary>
    public async Task<string> CreateNetworkAsync(
        string name,
        IReadOnlyDictionary<string, string> labels,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["Name"] = name,
            ["Driver"] = "bridge",
            ["Attachable"] = true,
            ["Labels"] = StringMap(labels),
        };
        if (ApiVersion < new Version(1, 44))
        {
            // Older engines otherwise accept a second network with the same name; 1.44+ always refuse it.
            body["CheckDuplicate"] = true;
        }

        var created = await PostJsonAsync("networks/create", body, $"create network {name}", cancellationToken).ConfigureAwait(false);
        return created.GetProperty("Id").GetString()!;
    }

    public async Task ConnectNetworkAsync(
        string network,
        string containerId,
        IReadOnlyList<string> aliases,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["Container"] = containerId,
            ["EndpointConfig"] = new JsonObject { ["Aliases"] = StringArray(aliases) },
        };
        using var content = JsonContent(body);
        using var response = await SendAsync(HttpMethod.Post, $"networks/{Escape(network)}/connect", content, $"connect container {Short(containerId)} to network {network}", cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Removes a network; one already gone is fine. Remove its containers first (the engine says 403).</summary>
    public Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken = default) =>
        SendNoBodyAsync(HttpMethod.Delete, $"networks/{Escape(idOrName)}", $"remove network {Short(idOrName)}", cancellationToken, HttpStatusCode.NotFound);

    public async Task<NetworkInfo> InspectNetworkAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var root = await GetJsonAsync($"networks/{Escape(idOrName)}", $"inspect network {Short(idOrName)}", cancellationToken).ConfigureAwait(false);
        string? subnet = null;
        string? gateway = null;
        if (root.TryGetProperty("IPAM", out var ipam) && ipam.ValueKind == JsonValueKind.Object
            && ipam.TryGetProperty("Config", out var configs) && configs.ValueKind == JsonValueKind.Array)
        {
            // The IPv4 pool: a network with IPv6 enabled lists a second one.
            foreach (var config in configs.EnumerateArray())
            {
                var configSubnet = config.TryGetProperty("Subnet", out var s) ? s.GetString() : null;
                if (configSubnet is not null && !configSubnet.Contains(':'))
                {
                    subnet = configSubnet;
                    gateway = config.TryGetProperty("Gateway", out var g) ? g.GetString() : null;
                    break;
                }
            }
        }

        return new NetworkInfo(
            root.GetProperty("Id").GetString()!,
            root.GetProperty("Name").GetString() ?? "",
            subnet,
            string.IsNullOrEmpty(gateway) ? null : gateway,
            ReadLabels(root.GetProperty("Labels")));
    }

    /// <summary>Networks carrying every given label; a null value matches any value.</summary>
    public async Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(
        IReadOnlyDictionary<string, string?> labels,
        CancellationToken cancellationToken = default)
    {
        var root = await GetJsonAsync($"networks?filters={LabelFilter(labels)}", "list networks", cancellationToken).ConfigureAwait(false);
        return root.EnumerateArray()
            .Select(n => new NetworkSummary(
                n.GetProperty("Id").GetString()!,
                n.GetProperty("Name").GetString() ?? "",
                ReadLabels(n.GetProperty("Labels"))))
            .ToArray();
    }
}
