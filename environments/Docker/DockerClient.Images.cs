using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Replica.Environments.Errors;

namespace Replica.Environments.Docker;

public sealed partial class DockerClient
{
    /// <summary>The image, or null when the engine has no image by that name.</summary>
    public async Task<ImageInfo?> InspectImageAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"images/{Escape(name)}/json", null, $"inspect image {name}", cancellationToken, HttpStatusCode.NotFound)
            .ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var root = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        return ParseImage(root, root.TryGetProperty("Config", out var config) && config.ValueKind == JsonValueKind.Object ? config.GetProperty("Labels") : default);
    }

    /// <summary>Images carrying every given label; a null value matches any value.</summary>
    public async Task<IReadOnlyList<ImageInfo>> ListImagesAsync(
        IReadOnlyDictionary<string, string?> labels,
        CancellationToken cancellationToken = default)
    {
        var root = await GetJsonAsync($"images/json?filters={LabelFilter(labels)}", "list images", cancellationToken).ConfigureAwait(false);
        return root.EnumerateArray().Select(i => ParseImage(i, i.GetProperty("Labels"))).ToArray();
    }

    /// <summary>Removes an image; one already gone is fine.</summary>
    public Task RemoveImageAsync(string idOrName, bool force = false, CancellationToken cancellationToken = default) =>
        SendNoBodyAsync(HttpMethod.Delete, $"images/{Escape(idOrName)}?force={(force ? 1 : 0)}", $"remove image {Short(idOrName)}", cancellationToken, HttpStatusCode.NotFound);

    /// <summary>
    /// Builds an image with the classic builder from a tar of <paramref name="context"/>. RUN steps use the host's
    /// network (<c>networkmode=host</c>), which is how apt-get inside a build reaches the Debian mirror here.
    /// A failing step is a <see cref="ReplicaException"/> quoting the engine's error and the step's last output.
    /// </summary>
    public async Task<string> BuildImageAsync(
        ImageBuildRequest request,
        BuildContext context,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var query = $"t={Escape(request.Tag)}&dockerfile={Escape(request.Dockerfile)}&rm=1&forcerm=1&version=1"
            + $"&buildargs={Escape(StringMap(request.BuildArgs).ToJsonString())}"
            + $"&labels={Escape(StringMap(request.Labels).ToJsonString())}";
        if (request.HostNetwork)
        {
            query += "&networkmode=host";
        }

        // The tar is written into the request as it is sent, so a large context is never held in memory whole.
        using var content = new TarContextContent(context);
        var operation = $"build image {request.Tag}";
        using var response = await SendAsync(HttpMethod.Post, $"build?{query}", content, operation, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var result = await JsonMessageStream.ReadAsync(stream, progress, cancellationToken).ConfigureAwait(false);
        if (result.Error is not null)
        {
            throw new ReplicaException(
                $"Docker engine at {Endpoint}: {operation} failed: {result.Error.Trim()}"
                + Environment.NewLine + "last build output:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", result.LastLines),
                exitCode: 1,
                hint: $"fix the Dockerfile step named above ({request.Dockerfile})");
        }

        if (result.ImageId is not null)
        {
            return result.ImageId;
        }

        // Engines that do not send aux.ID still tag the image.
        var image = await InspectImageAsync(request.Tag, cancellationToken).ConfigureAwait(false);
        return image?.Id ?? throw new ReplicaException($"Docker engine at {Endpoint}: {operation} ended without an image");
    }

    /// <summary>
    /// Pulls <paramref name="reference"/> (a tag is required: without one the engine pulls every tag). A pull that
    /// fails is a <see cref="ReplicaException"/> (exit code 3) quoting the engine's error, saying when no registry
    /// could be reached, and suggesting the offline image policy.
    /// </summary>
    public async Task PullImageAsync(string reference, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var (repository, tag) = SplitReference(reference);
        var operation = $"pull image {reference}";
        string? error;
        try
        {
            using var response = await SendAsync(HttpMethod.Post, $"images/create?fromImage={Escape(repository)}&tag={Escape(tag)}", null, operation, cancellationToken)
                .ConfigureAwait(false);
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            error = (await JsonMessageStream.ReadAsync(stream, progress, cancellationToken).ConfigureAwait(false)).Error;
        }
        catch (DockerApiException e)
        {
            // Engines answer a registry they cannot reach with an error status before any stream.
            error = e.EngineMessage;
        }

        if (error is not null)
        {
            var unreachable = RegistryUnreachable.Any(m => error.Contains(m, StringComparison.OrdinalIgnoreCase));
            throw new ReplicaException(
                $"Docker engine at {Endpoint}: {operation} failed: "
                + (unreachable ? $"no image registry is reachable from the engine ({error.Trim()})" : error.Trim()),
                exitCode: 3,
                hint: "without a registry, use the offline image policy (`--images offline`, or REPLICA_IMAGE_POLICY=offline): "
                    + "Redis, PostgreSQL and the .NET services are then built on a local base image");
        }
    }

    /// <summary>What the engine's pull error says when the registry is out of reach (DNS, routing, TLS, timeouts).</summary>
    private static readonly string[] RegistryUnreachable =
    [
        "no such host", "dial tcp", "connection refused", "network is unreachable", "i/o timeout",
        "TLS handshake timeout", "Client.Timeout exceeded", "server misbehaving",
    ];

    private static (string Repository, string Tag) SplitReference(string reference)
    {
        var at = reference.IndexOf('@');
        if (at > 0)
        {
            return (reference[..at], reference[(at + 1)..]);
        }

        var colon = reference.LastIndexOf(':');
        if (colon > reference.LastIndexOf('/') && colon > 0)
        {
            return (reference[..colon], reference[(colon + 1)..]);
        }

        throw new ReplicaException($"image '{reference}' has no tag; expected name:tag (e.g. redis:7)", exitCode: 2);
    }

    private static ImageInfo ParseImage(JsonElement root, JsonElement labels) => new(
        root.GetProperty("Id").GetString()!,
        root.TryGetProperty("RepoTags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? tags.EnumerateArray().Select(t => t.GetString()!).ToArray()
            : [],
        ReadLabels(labels));
}
