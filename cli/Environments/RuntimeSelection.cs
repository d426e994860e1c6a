using Replica.Environments.Docker;
using Replica.Environments.Hosting;
using Replica.Environments.Runtimes.Docker;

namespace Replica.Cli.Environments;

/// <summary>Where the services run (process or docker) and, for docker, where the images come from.</summary>
internal sealed record RuntimeSelection(string Runtime, ImagePolicy Images, string BaseImage)
{
    public const string Process = "process";

    public bool IsDocker => Runtime == DockerRuntime.RuntimeName;

    /// <summary>The builder with this runtime; the process runtime is the builder's default.</summary>
    public EnvironmentBuilder Apply(EnvironmentBuilder builder)
    {
        if (!IsDocker)
        {
            return builder;
        }
        var images = new ImageSettings { Policy = Images, BaseImage = BaseImage };
        return builder.WithRuntime(DockerRuntime.RuntimeName, ctx => new DockerRuntime(new DockerRuntimeOptions(ctx.EnvironmentName, images, ctx.Progress)));
    }

    /// <summary>The same choice, spelt out for the detached daemon.</summary>
    public IReadOnlyList<string> Arguments =>
        ["--runtime", Runtime, "--images", Images.ToString().ToLowerInvariant()];
}
