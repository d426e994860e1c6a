using System.Net;
using System.Security.Cryptography;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using Replica.Environments.Errors;
using Replica.Environments.Processes;

namespace Replica.Environments.Docker;

/// <summary>
/// Provides the images an environment runs, by <see cref="ImageSettings.Policy"/>: official images (pulled when
/// missing) or offline images built on a local base image with Testcontainers' <see cref="ImageFromDockerfileBuilder"/>.
/// A built image is labelled with the hash of everything it was built from (context files, Dockerfile, build
/// arguments, the base image's id); a later call with the same inputs finds the label and does not build again.
/// Cached images carry no owner labels and no Testcontainers session, so neither the sweep nor Ryuk removes them.
/// </summary>
public sealed class ImageBuilder(DockerEngine engine, ImageSettings settings, IProgress<string>? progress = null)
{
    public const string RedisTag = "replica/redis:7";
    public const string PostgresTag = "replica/postgres:15";

    private IDockerClient Docker => engine.Client;

    public ImageSettings Settings => settings;

    public Task<ImageBuildResult> RedisAsync(CancellationToken cancellationToken = default) =>
        settings.Policy == ImagePolicy.Official
            ? EnsurePresentAsync(settings.OfficialRedis, cancellationToken)
            : EnsureBuiltAsync(RedisTag, BuildContext.FromDirectory(Path.Combine(settings.RequireImagesDirectory(), "redis")), settings.BaseImage, cancellationToken: cancellationToken);

    public Task<ImageBuildResult> PostgresAsync(CancellationToken cancellationToken = default) =>
        settings.Policy == ImagePolicy.Official
            ? EnsurePresentAsync(settings.OfficialPostgres, cancellationToken)
            : EnsureBuiltAsync(PostgresTag, BuildContext.FromDirectory(Path.Combine(settings.RequireImagesDirectory(), "postgres")), settings.BaseImage, cancellationToken: cancellationToken);

    /// <summary>
    /// Publishes the .NET project at <paramref name="projectPath"/> self-contained for linux-x64 and builds
    /// <c>replica/&lt;name&gt;:local</c> from it on the policy's base image (offline base, or .NET runtime-deps).
    /// The image is labelled with the hash of the project's sources (<see cref="DotnetProjectSources"/>): while they,
    /// the base image and the service Dockerfile are unchanged, the image is current and nothing is published.
    /// </summary>
    public async Task<ImageBuildResult> ServiceAsync(string name, string projectPath, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(projectPath))
        {
            throw new ReplicaException($"service image {name}: project '{projectPath}' not found; expected a .csproj to publish", kind: ReplicaErrorKind.BadInput);
        }

        var baseImage = settings.Policy == ImagePolicy.Official ? settings.OfficialServiceBase : settings.BaseImage;
        if (settings.Policy == ImagePolicy.Official)
        {
            await EnsurePresentAsync(baseImage, cancellationToken).ConfigureAwait(false);
        }

        var tag = $"replica/{name}:local";
        var appName = Path.GetFileNameWithoutExtension(projectPath);
        var serviceDirectory = Path.Combine(settings.RequireImagesDirectory(), "service");
        var sourceHash = await SourceHashAsync(projectPath, appName, BuildContext.FromDirectory(serviceDirectory), baseImage, cancellationToken).ConfigureAwait(false);
        if (sourceHash is not null
            && await InspectAsync(tag, cancellationToken).ConfigureAwait(false) is { } existing
            && Label(existing, ReplicaLabels.SourceHash) == sourceHash)
        {
            progress?.Report($"{tag}: cached (sources {sourceHash[..12]})");
            return new ImageBuildResult(tag, existing.ID, Label(existing, ReplicaLabels.ContentHash), Built: false);
        }

        // The context: the service Dockerfile with the published application beside it, under app/.
        var context = Directory.CreateTempSubdirectory("replica-publish-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(serviceDirectory))
            {
                File.Copy(file, Path.Combine(context, Path.GetFileName(file)));
            }
            await PublishAsync(projectPath, Path.Combine(context, "app"), cancellationToken).ConfigureAwait(false);
            return await EnsureBuiltAsync(
                tag,
                BuildContext.FromDirectory(context),
                baseImage,
                new Dictionary<string, string> { ["APP_NAME"] = appName },
                labels: sourceHash is null ? null : new Dictionary<string, string> { [ReplicaLabels.SourceHash] = sourceHash },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    /// <summary>Everything a service image is made from, known without publishing; null when the sources cannot tell.</summary>
    private async Task<string?> SourceHashAsync(string projectPath, string appName, BuildContext serviceContext, string baseImage, CancellationToken cancellationToken)
    {
        var sources = DotnetProjectSources.ComputeHash(projectPath);
        var baseInfo = await InspectAsync(baseImage, cancellationToken).ConfigureAwait(false);
        if (sources is null || baseInfo is null)
        {
            // A missing base image is reported by the build, with how to make it.
            return null;
        }

        var text = $"sources={sources}\nservice-context={serviceContext.ComputeHash()}\nbase={baseInfo.ID}\napp={appName}\npublish=Release linux-x64 self-contained ReadyToRun\n";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// Builds <paramref name="tag"/> from <paramref name="context"/> unless an image with that tag already carries
    /// the same content hash. <paramref name="baseImage"/>, when given, is passed as build argument BASE_IMAGE and
    /// its id is part of the hash, so rebuilding the base rebuilds what stands on it. <paramref name="dockerfile"/> is
    /// the Dockerfile's path inside the context; <paramref name="labels"/> go on the image and are inputs too. RUN
    /// steps use the host's network, which is how apt-get inside a build reaches the Debian mirror on a machine
    /// without a registry. A failing step is a <see cref="ReplicaException"/> quoting the engine's error and the
    /// step's last output.
    /// </summary>
    public async Task<ImageBuildResult> EnsureBuiltAsync(
        string tag,
        BuildContext context,
        string? baseImage,
        IReadOnlyDictionary<string, string>? buildArgs = null,
        string dockerfile = "Dockerfile",
        IReadOnlyDictionary<string, string>? labels = null,
        CancellationToken cancellationToken = default)
    {
        var arguments = new Dictionary<string, string>(buildArgs ?? new Dictionary<string, string>());
        var baseId = "";
        if (baseImage is not null)
        {
            var baseInfo = await InspectAsync(baseImage, cancellationToken).ConfigureAwait(false)
                ?? throw new ReplicaException(
                    $"base image {baseImage} is not on the engine at {engine.Endpoint}; image {tag} is built on it",
                    kind: ReplicaErrorKind.MissingPrerequisite,
                    hint: settings.Policy == ImagePolicy.Offline
                        ? "make it with: environments/images/docker-tier.sh images (debootstrap + docker import), or set the base image to one you have"
                        : "pull it, or use the offline image policy");
            baseId = baseInfo.ID;
            arguments["BASE_IMAGE"] = baseImage;
        }

        var hash = ContentHash(context, baseId, arguments, dockerfile, labels);
        var existing = await InspectAsync(tag, cancellationToken).ConfigureAwait(false);
        if (existing is not null && Label(existing, ReplicaLabels.ContentHash) == hash)
        {
            progress?.Report($"{tag}: cached ({hash[..12]})");
            return new ImageBuildResult(tag, existing.ID, hash, Built: false);
        }

        progress?.Report($"{tag}: building ({(existing is null ? "no image yet" : "inputs changed")})");
        var imageLabels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { [ReplicaLabels.ContentHash] = hash };
        var log = new BuildOutputLog(progress);
        var builder = new ImageFromDockerfileBuilder()
            .WithName(tag)
            .WithContextDirectory(context.Directory)
            .WithDockerfileDirectory(context.Directory)
            .WithDockerfile(dockerfile)
            .WithLabel(imageLabels)
            // Cached between runs: no Testcontainers session for Ryuk to reap, and never deleted before a build.
            .WithCleanUp(false)
            .WithDeleteIfExists(false)
            .WithImageBuildPolicy(_ => true)
            .WithCreateParameterModifier(build =>
            {
                build.NetworkMode = "host";
                build.Remove = true;
                build.ForceRemove = true;
            })
            .WithLogger(log);
        foreach (var (name, value) in arguments)
        {
            builder = builder.WithBuildArgument(name, value);
        }

        var operation = $"build image {tag}";
        try
        {
            await builder.Build().CreateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or ReplicaException) && !DockerErrors.IsTransportFailure(e))
        {
            var error = log.Errors.Count > 0 ? string.Join("; ", log.Errors) : e is DockerApiException api ? DockerErrors.EngineMessage(api) : e.Message;
            throw BuildFailed(operation, dockerfile, log, error, e);
        }

        // The engine reports a failing step in the build output, not in the HTTP status; a tag that still names the
        // image it had before is no proof of a build either.
        var built = await InspectAsync(tag, cancellationToken).ConfigureAwait(false);
        if (log.Errors.Count > 0 || built is null || Label(built, ReplicaLabels.ContentHash) != hash)
        {
            throw BuildFailed(operation, dockerfile, log, log.Errors.Count > 0 ? string.Join("; ", log.Errors) : "the engine made no image", null);
        }
        if (existing is not null && existing.ID != built.ID)
        {
            await RemoveReplacedAsync(existing.ID).ConfigureAwait(false);
        }

        return new ImageBuildResult(tag, built.ID, hash, Built: true);
    }

    /// <summary>
    /// An image by reference, pulled when the engine does not have it. A pull that fails is a
    /// <see cref="ReplicaException"/> (a missing prerequisite) quoting the engine's error, saying when no registry could be
    /// reached, and suggesting the offline image policy. Testcontainers pulls only as part of starting a container;
    /// Replica pulls while it prepares, before anything starts, so this goes through Docker.DotNet.
    /// </summary>
    public async Task<ImageBuildResult> EnsurePresentAsync(string reference, CancellationToken cancellationToken = default)
    {
        var image = await InspectAsync(reference, cancellationToken).ConfigureAwait(false);
        if (image is null)
        {
            progress?.Report($"{reference}: pulling");
            await PullAsync(reference, cancellationToken).ConfigureAwait(false);
            image = await InspectAsync(reference, cancellationToken).ConfigureAwait(false)
                ?? throw new ReplicaException($"Docker engine at {engine.Endpoint}: pulled {reference} but cannot find it");
        }

        return new ImageBuildResult(reference, image.ID, null, Built: false);
    }

    /// <summary>The image, or null when the engine has none by that name or id.</summary>
    public async Task<ImageInspectResponse?> InspectAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Docker.Images.InspectImageAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task PullAsync(string reference, CancellationToken cancellationToken)
    {
        var (repository, tag) = SplitReference(reference);
        var errors = new List<string>();
        var pullProgress = new SynchronousProgress<JSONMessage>(message =>
        {
            if (message.Error?.Message is { Length: > 0 } error)
            {
                lock (errors)
                {
                    errors.Add(error);
                }
            }
            else if (message.Status is { Length: > 0 } status && message.Progress is null)
            {
                progress?.Report($"  {(string.IsNullOrEmpty(message.ID) ? "" : message.ID + ": ")}{status}");
            }
        });
        string? failure = null;
        try
        {
            await Docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, null, pullProgress, cancellationToken).ConfigureAwait(false);
            lock (errors)
            {
                failure = errors.Count > 0 ? string.Join("; ", errors) : null;
            }
        }
        catch (DockerApiException e)
        {
            // Engines answer a registry they cannot reach with an error status before any stream.
            failure = DockerErrors.EngineMessage(e);
        }

        if (failure is not null)
        {
            var unreachable = RegistryUnreachable.Any(m => failure.Contains(m, StringComparison.OrdinalIgnoreCase));
            throw new ReplicaException(
                $"Docker engine at {engine.Endpoint}: pull image {reference} failed: "
                + (unreachable ? $"no image registry is reachable from the engine ({failure.Trim()})" : failure.Trim()),
                kind: ReplicaErrorKind.MissingPrerequisite,
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

        throw new ReplicaException($"image '{reference}' has no tag; expected name:tag (e.g. redis:7)", kind: ReplicaErrorKind.BadInput);
    }

    private ReplicaException BuildFailed(string operation, string dockerfile, BuildOutputLog log, string error, Exception? inner) =>
        new(
            $"Docker engine at {engine.Endpoint}: {operation} failed: {error.Trim()}"
            + Environment.NewLine + "last build output:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", log.LastLines),
            kind: ReplicaErrorKind.Failure,
            hint: $"fix the Dockerfile step named above ({dockerfile})",
            inner: inner);

    private static string? Label(ImageInspectResponse image, string key) =>
        image.Config?.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    private static string ContentHash(
        BuildContext context,
        string baseId,
        IReadOnlyDictionary<string, string> arguments,
        string dockerfile,
        IReadOnlyDictionary<string, string>? labels)
    {
        var text = new StringBuilder()
            .Append("context=").Append(context.ComputeHash()).Append('\n')
            .Append("base=").Append(baseId).Append('\n');
        foreach (var (key, value) in arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            text.Append("arg ").Append(key).Append('=').Append(value).Append('\n');
        }

        // Written only when used, so that the images built before these inputs existed keep their hashes.
        if (dockerfile != "Dockerfile")
        {
            text.Append("dockerfile=").Append(dockerfile).Append('\n');
        }

        foreach (var (key, value) in (labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            text.Append("label ").Append(key).Append('=').Append(value).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private async Task RemoveReplacedAsync(string oldId)
    {
        try
        {
            await Docker.Images.DeleteImageAsync(oldId, new ImageDeleteParameters { Force = false }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerApiException)
        {
            // Still used by a container, or a parent of another image: it stays, untagged.
        }
    }

    /// <summary>`dotnet publish` to its end; a failure quotes the last lines it printed, a cancellation kills it.</summary>
    private async Task PublishAsync(string projectPath, string outputDirectory, CancellationToken cancellationToken)
    {
        progress?.Report($"publishing {Path.GetFileName(projectPath)} self-contained for linux-x64, precompiled");
        // ReadyToRun: a container starts precompiled code instead of compiling it first. Not Native AOT, even for a
        // project that sets PublishAot (the staging services do, for the process runtime): that needs a C toolchain and
        // a minute per service. Its own intermediate folder (ArtifactsPivots), so this publish and the native one the
        // build makes for the process runtime do not compile over each other's output.
        await DotnetCli.RunAsync(
            ["publish", projectPath, "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:PublishReadyToRun=true", "-p:PublishAot=false",
             "-p:ArtifactsPivots=release_linux-x64_image", "-o", outputDirectory, "-nologo", "-v", "quiet"],
            cancellationToken).ConfigureAwait(false);
    }
}
