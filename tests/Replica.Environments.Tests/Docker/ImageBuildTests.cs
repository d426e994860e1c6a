using System.Runtime.Versioning;
using DotNet.Testcontainers.Builders;
using Microsoft.Extensions.Logging.Abstractions;
using Replica.Environments.Docker;
using Replica.Environments.Errors;
using Replica.Tests.Support;

namespace Replica.Environments.Tests.Docker;

/// <summary>Replica's <see cref="ImageBuilder"/> on Testcontainers' ImageFromDockerfileBuilder: what is built, and what a failure says.</summary>
[SupportedOSPlatform("linux")]
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class ImageBuildTests(DockerEngineFixture engine) : IDisposable
{
    private readonly ScratchDirectory _context = new("replica-build-context-");

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task An_image_builds_from_its_context_on_the_base_image_and_runs_what_was_copied_in_with_its_file_modes()
    {
        var baseImage = await engine.RequireBaseImageAsync();
        File.WriteAllText(Path.Combine(_context.Path, "Dockerfile"), """
            ARG BASE_IMAGE
            FROM ${BASE_IMAGE}
            COPY greeting/hello.txt /hello.txt
            COPY run.sh /run.sh
            RUN test -x /run.sh
            CMD ["/run.sh"]
            """);
        Directory.CreateDirectory(Path.Combine(_context.Path, "greeting"));
        File.WriteAllText(Path.Combine(_context.Path, "greeting", "hello.txt"), "hello from the context\n");
        File.WriteAllText(Path.Combine(_context.Path, "run.sh"), "#!/bin/sh\ncat /hello.txt\n");
        File.SetUnixFileMode(Path.Combine(_context.Path, "run.sh"), (UnixFileMode)0b111_101_101);
        var tag = $"replica-test/build-ok:{engine.RunId}";

        var built = await new ImageBuilder(engine.Engine, engine.OfflineSettings).EnsureBuiltAsync(tag, BuildContext.FromDirectory(_context.Path), baseImage, labels: engine.Labels);
        var container = new ContainerBuilder(tag).WithLabel(engine.Labels).WithLogger(NullLogger.Instance).Build();
        try
        {
            var image = await engine.InspectImageAsync(tag);
            Assert.NotNull(image);
            Assert.Equal(built.Id, image.ID);
            Assert.Equal(engine.RunId, image.Config!.Labels![ReplicaLabels.Run]);
            Assert.Equal(built.ContentHash, image.Config!.Labels![ReplicaLabels.ContentHash]);

            await container.StartAsync();
            Assert.Equal(0, (await engine.Docker.Containers.WaitContainerAsync(container.Id)).StatusCode);
            Assert.Equal("hello from the context\n", (await container.GetLogsAsync(timestampsEnabled: false)).Stdout);
        }
        finally
        {
            await container.DisposeAsync();
            await engine.Docker.Images.DeleteImageAsync(tag, new() { Force = true });
        }
    }

    [Fact]
    public async Task A_failing_RUN_step_surfaces_the_engine_error_and_the_step_output()
    {
        var baseImage = await engine.RequireBaseImageAsync();
        File.WriteAllText(Path.Combine(_context.Path, "Dockerfile"), $"""
            FROM {baseImage}
            RUN echo "marker-{engine.RunId}: about to fail" && exit 7
            """);
        var tag = $"replica-test/build-fails:{engine.RunId}";

        var error = await Assert.ThrowsAsync<ReplicaException>(
            () => new ImageBuilder(engine.Engine, engine.OfflineSettings).EnsureBuiltAsync(tag, BuildContext.FromDirectory(_context.Path), baseImage: null, labels: engine.Labels));

        Assert.Contains($"build image {tag} failed", error.Message);
        Assert.Contains("returned a non-zero code: 7", error.Message);
        Assert.Contains($"marker-{engine.RunId}: about to fail", error.Message);
        Assert.Contains("fix the Dockerfile step", error.Hint);
        Assert.Null(await engine.InspectImageAsync(tag));
    }

    [Fact]
    public async Task A_failing_build_of_a_tag_that_names_an_older_image_is_still_a_failure()
    {
        var baseImage = await engine.RequireBaseImageAsync();
        var tag = $"replica-test/build-again:{engine.RunId}";
        var builder = new ImageBuilder(engine.Engine, engine.OfflineSettings);
        File.WriteAllText(Path.Combine(_context.Path, "Dockerfile"), $"FROM {baseImage}\nRUN echo fine\n");
        var first = await builder.EnsureBuiltAsync(tag, BuildContext.FromDirectory(_context.Path), baseImage: null, labels: engine.Labels);
        try
        {
            File.WriteAllText(Path.Combine(_context.Path, "Dockerfile"), $"FROM {baseImage}\nRUN echo broken && exit 3\n");

            var error = await Assert.ThrowsAsync<ReplicaException>(
                () => builder.EnsureBuiltAsync(tag, BuildContext.FromDirectory(_context.Path), baseImage: null, labels: engine.Labels));

            Assert.Contains("returned a non-zero code: 3", error.Message);
            // The tag still names the image it had: the failure did not replace it.
            Assert.Equal(first.Id, (await engine.InspectImageAsync(tag))!.ID);
        }
        finally
        {
            await engine.Docker.Images.DeleteImageAsync(tag, new() { Force = true });
        }
    }
}
