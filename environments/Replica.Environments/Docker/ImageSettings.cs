using Replica.Environments.Errors;

namespace Replica.Environments.Docker;

/// <summary>
/// Which images to use. <see cref="BaseImage"/> is what offline images are built on: by default the image
/// environments/images/docker-tier.sh makes with debootstrap, but any Debian-like image with apt works.
/// </summary>
public sealed record ImageSettings
{
    public const string DefaultBaseImage = "replica/debian:bookworm";

    public ImagePolicy Policy { get; init; } = ImagePolicy.Official;

    public string BaseImage { get; init; } = DefaultBaseImage;

    /// <summary>The folder with redis/, postgres/ and service/ Dockerfiles (environments/images in the repo).</summary>
    public string ImagesDirectory { get; init; } = LocateImagesDirectory();

    public string OfficialRedis { get; init; } = "redis:7";

    public string OfficialPostgres { get; init; } = "postgres:15";

    /// <summary>
    /// What the .NET services are published onto under the official policy: Debian's official image, the release
    /// .NET's own runtime-deps images are made from; the service Dockerfile adds the libraries .NET loads.
    /// </summary>
    public string OfficialServiceBase { get; init; } = "debian:bookworm-slim";

    /// <summary>environments/images, found by walking up from this assembly (which lives under artifacts/).</summary>
    public static string LocateImagesDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "environments", "images");
            if (File.Exists(Path.Combine(candidate, "redis", "Dockerfile")))
            {
                return candidate;
            }
        }

        // Resolved lazily by the builder so that settings can be made anywhere; this only fails when used.
        return "";
    }

    internal string RequireImagesDirectory() =>
        ImagesDirectory.Length > 0 && Directory.Exists(ImagesDirectory)
            ? ImagesDirectory
            : throw new ReplicaException(
                $"image settings: images directory '{ImagesDirectory}' not found; expected the repository's environments/images "
                + "(with redis/, postgres/ and service/ Dockerfiles)",
                kind: ReplicaErrorKind.BadInput);
}
