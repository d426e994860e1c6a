using System.Runtime.Versioning;
using Replica.Environments.Docker;
using Replica.Environments.Errors;
using Replica.Tests.Support;

namespace Replica.Tests.Docker;

[SupportedOSPlatform("linux")]
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class ImageBuildTests(DockerEngineFixture engine) : IDisposable
{
    private readonly ScratchDirectory _context = new("replica-build-context-");

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task An_image_builds_from_a_tar_context_and_runs_what_was_copied_in()
    {
        var docker = engine.Docker;
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
        var request = new ImageBuildRequest(tag)
        {
            BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = baseImage },
            Labels = engine.Labels,
        };

        var id = await docker.BuildImageAsync(request, BuildContext.FromDirectory(_context.Path));
        try
        {
            var image = await docker.InspectImageAsync(tag);
            Assert.NotNull(image);
            Assert.Equal(id, image.Id);
            Assert.Equal(engine.RunId, image.Labels[ReplicaLabels.Run]);

            var container = await docker.CreateContainerAsync(new ContainerSpec(tag) { Labels = engine.Labels });
            try
            {
                await docker.StartContainerAsync(container);
                Assert.Equal(0, await docker.WaitContainerAsync(container));
                Assert.Equal("hello from the context\n", (await docker.GetLogsAsync(container)).Stdout);
            }
            finally
            {
                await docker.RemoveContainerAsync(container);
            }
        }
        finally
        {
            await docker.RemoveImageAsync(id, force: true);
        }
    }

    [Fact]
    public async Task A_failing_RUN_step_surfaces_the_engine_error_and_the_step_output()
    {
        var docker = engine.Docker;
        var baseImage = await engine.RequireBaseImageAsync();
        File.WriteAllText(Path.Combine(_context.Path, "Dockerfile"), $"""
            FROM {baseImage}
            RUN echo "marker-{engine.RunId}: about to fail" && exit 7
            """);
        var tag = $"replica-test/build-fails:{engine.RunId}";

        var error = await Assert.ThrowsAsync<ReplicaException>(
            () => docker.BuildImageAsync(new ImageBuildRequest(tag) { Labels = engine.Labels }, BuildContext.FromDirectory(_context.Path)));

        Assert.Contains($"build image {tag} failed", error.Message);
        Assert.Contains("returned a non-zero code: 7", error.Message);
        Assert.Contains($"marker-{engine.RunId}: about to fail", error.Message);
        Assert.Null(await docker.InspectImageAsync(tag));
    }
}
