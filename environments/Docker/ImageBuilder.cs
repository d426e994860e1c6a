using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Replica.Environments.Errors;

namespace Replica.Environments.Docker;

/// <summary>
/// Provides the images an environment runs, by <see cref="ImageSettings.Policy"/>: official images (pulled when
/// missing) or offline images built on a local base image. A built image is labelled with the hash of everything
/// it was built from (context files, Dockerfile, build arguments, the base image's id); a later call with the
/// same inputs finds the label and does not build again. Cached images carry no owner labels, so the sweep keeps
/// them between runs.
/// </summary>
public sealed class ImageBuilder(DockerClient docker, ImageSettings settings, IProgress<string>? progress = null)
{
    public const string RedisTag = "replica/redis:7";
    public const string PostgresTag = "replica/postgres:15";

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
            throw new ReplicaException($"service image {name}: project '{projectPath}' not found; expected a .csproj to publish", exitCode: 2);
        }

        var baseImage = settings.Policy == ImagePolicy.Official ? settings.OfficialServiceBase : settings.BaseImage;
        if (settings.Policy == ImagePolicy.Official)
        {
            await EnsurePresentAsync(baseImage, cancellationToken).ConfigureAwait(false);
        }

        var tag = $"replica/{name}:local";
        var appName = Path.GetFileNameWithoutExtension(projectPath);
        var serviceContext = BuildContext.FromDirectory(Path.Combine(settings.RequireImagesDirectory(), "service"));
        var sourceHash = await SourceHashAsync(projectPath, appName, serviceContext, baseImage, cancellationToken).ConfigureAwait(false);
        if (sourceHash is not null
            && await docker.InspectImageAsync(tag, cancellationToken).ConfigureAwait(false) is { } existing
            && existing.Labels.TryGetValue(ReplicaLabels.SourceHash, out var label) && label == sourceHash)
        {
            progress?.Report($"{tag}: cached (sources {sourceHash[..12]})");
            return new ImageBuildResult(tag, existing.Id, existing.Labels.GetValueOrDefault(ReplicaLabels.ContentHash), Built: false);
        }

        var publishDirectory = Directory.CreateTempSubdirectory("replica-publish-").FullName;
        try
        {
            await PublishAsync(projectPath, publishDirectory, cancellationToken).ConfigureAwait(false);
            return await EnsureBuiltAsync(
                tag,
                serviceContext.With(publishDirectory, "app"),
                baseImage,
                new Dictionary<string, string> { ["APP_NAME"] = appName },
                labels: sourceHash is null ? null : new Dictionary<string, string> { [ReplicaLabels.SourceHash] = sourceHash },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(publishDirectory, recursive: true);
        }
    }

    /// <summary>Everything a service image is made from, known without publishing; null when the sources cannot tell.</summary>
    private async Task<string?> SourceHashAsync(string projectPath, string appName, BuildContext serviceContext, string baseImage, CancellationToken cancellationToken)
    {
        var sources = DotnetProjectSources.ComputeHash(projectPath);
        var baseInfo = await docker.InspectImageAsync(baseImage, cancellationToken).ConfigureAwait(false);
        if (sources is null || baseInfo is null)
        {
            // A missing base image is reported by the build, with how to make it.
            return null;
        }

        var text = $"sources={sources}\nservice-context={serviceContext.ComputeHash()}\nbase={baseInfo.Id}\napp={appName}\npublish=Release linux-x64 self-contained\n";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// Builds <paramref name="tag"/> from <paramref name="context"/> unless an image with that tag already carries
    /// the same content hash. <paramref name="baseImage"/>, when given, is passed as build argument BASE_IMAGE and
    /// its id is part of the hash, so rebuilding the base rebuilds what stands on it. <paramref name="dockerfile"/> is
    /// the Dockerfile's path inside the context; <paramref name="labels"/> go on the image and are inputs too.
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
        string baseId = "";
        if (baseImage is not null)
        {
            var baseInfo = await docker.InspectImageAsync(baseImage, cancellationToken).ConfigureAwait(false)
                ?? throw new ReplicaException(
                    $"base image {baseImage} is not on the engine at {docker.Endpoint}; image {tag} is built on it",
                    exitCode: 3,
                    hint: settings.Policy == ImagePolicy.Offline
                        ? "make it with: environments/images/docker-tier.sh images (debootstrap + docker import), or set the base image to one you have"
                        : $"pull it, or use the offline image policy");
            baseId = baseInfo.Id;
            arguments["BASE_IMAGE"] = baseImage;
        }

        var hash = ContentHash(context, baseId, arguments, dockerfile, labels);
        var existing = await docker.InspectImageAsync(tag, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.Labels.TryGetValue(ReplicaLabels.ContentHash, out var label) && label == hash)
        {
            progress?.Report($"{tag}: cached ({hash[..12]})");
            return new ImageBuildResult(tag, existing.Id, hash, Built: false);
        }

        progress?.Report($"{tag}: building ({(existing is null ? "no image yet" : "inputs changed")})");
        var imageLabels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { [ReplicaLabels.ContentHash] = hash };
        var request = new ImageBuildRequest(tag)
        {
            Dockerfile = dockerfile,
            BuildArgs = arguments,
            Labels = imageLabels,
        };
        var id = await docker.BuildImageAsync(request, context, progress, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.Id != id)
        {
            await RemoveReplacedAsync(existing.Id).ConfigureAwait(false);
        }

        return new ImageBuildResult(tag, id, hash, Built: true);
    }

    /// <summary>An image by reference, pulled when the engine does not have it.</summary>
    public async Task<ImageBuildResult> EnsurePresentAsync(string reference, CancellationToken cancellationToken = default)
    {
        var image = await docker.InspectImageAsync(reference, cancellationToken).ConfigureAwait(false);
        if (image is null)
        {
            progress?.Report($"{reference}: pulling");
            await docker.PullImageAsync(reference, progress, cancellationToken).ConfigureAwait(false);
            image = await docker.InspectImageAsync(reference, cancellationToken).ConfigureAwait(false)
                ?? throw new ReplicaException($"Docker engine at {docker.Endpoint}: pulled {reference} but cannot find it");
        }

        return new ImageBuildResult(reference, image.Id, null, Built: false);
    }

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
            await docker.RemoveImageAsync(oldId, force: false, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerApiException)
        {
            // Still used by a container, or a parent of another image: it stays, untagged.
        }
    }

    private async Task PublishAsync(string projectPath, string outputDirectory, CancellationToken cancellationToken)
    {
        progress?.Report($"publishing {Path.GetFileName(projectPath)} self-contained for linux-x64");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "publish", projectPath, "-c", "Release", "-r", "linux-x64", "--self-contained", "-o", outputDirectory, "-nologo", "-v", "quiet" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new ReplicaException("cannot start `dotnet publish`; is the .NET SDK on PATH?", exitCode: 3);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (process.ExitCode != 0)
        {
            var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
            var tail = string.Join(Environment.NewLine + "  ", output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(15));
            throw new ReplicaException($"dotnet publish {projectPath} failed with exit code {process.ExitCode}:{Environment.NewLine}  {tail}");
        }
    }
}
