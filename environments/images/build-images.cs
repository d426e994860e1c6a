#:project ../Replica.Environments/Replica.Environments.csproj
#:property PublishAot=false
// Builds the offline Redis and PostgreSQL images on the base image with the same C# builder the docker runtime
// uses (Testcontainers' ImageFromDockerfileBuilder, configured for the engine by TestcontainersConfiguration), so
// that the content-hash cache the runtime checks is the one filled here. Run by docker-tier.sh images:
//   dotnet run environments/images/build-images.cs -- environments/images
using Replica.Environments.Docker;
using Replica.Environments.Errors;

try
{
    var engine = await TestcontainersConfiguration.EnsureConfiguredAsync();
    var settings = new ImageSettings
    {
        Policy = ImagePolicy.Offline,
        BaseImage = Environment.GetEnvironmentVariable("REPLICA_BASE_IMAGE") is { Length: > 0 } image ? image : ImageSettings.DefaultBaseImage,
        ImagesDirectory = Path.GetFullPath(args.Length > 0 ? args[0] : "."),
    };
    var builder = new ImageBuilder(engine, settings, new SynchronousProgress<string>(line => Console.Error.WriteLine($"  {line}")));
    foreach (var (name, build) in new (string, Func<Task<ImageBuildResult>>)[] { ("redis", () => builder.RedisAsync()), ("postgres", () => builder.PostgresAsync()) })
    {
        var started = DateTime.UtcNow;
        var result = await build();
        Console.Error.WriteLine($"[docker-tier] {result.Tag}: {(result.Built ? "built" : "cached")} in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
    }

    return 0;
}
catch (ReplicaException e)
{
    Console.Error.WriteLine($"[docker-tier] error: {e.Message}");
    if (e.Hint is not null)
    {
        Console.Error.WriteLine($"[docker-tier] hint: {e.Hint}");
    }

    // docker-tier.sh asks only whether the images were built; what went wrong is on stderr.
    return 1;
}
