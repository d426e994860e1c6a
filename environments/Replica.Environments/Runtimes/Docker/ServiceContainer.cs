using System.Globalization;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;
using DotNet.Testcontainers.Networks;
using Microsoft.Extensions.Logging.Abstractions;
using Replica.Environments.Compose;

namespace Replica.Environments.Runtimes.Docker;

/// <summary>
/// A compose service as a Testcontainers <see cref="ContainerBuilder"/>: its image (provided beforehand, never pulled
/// here), `command:`, the compose `environment:` as rewritten for the proxies, the environment's labels, the network
/// with the service's name as its alias, its output into the log file, and its ports published on 127.0.0.1 on the
/// host ports chosen in advance. Testcontainers' port bindings carry no host address (they publish on every
/// interface) and make its start wait until the engine lists them, which a container that exits at once never
/// does; so the bindings, and the stop grace, are written into the create request instead.
/// </summary>
public static class ServiceContainer
{
    public const string LoopbackHost = "127.0.0.1";

    public static IContainer Build(
        ServiceDefinition service,
        string image,
        string name,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyDictionary<int, HostEndpoint> endpoints,
        INetwork network,
        IOutputConsumer output,
        TimeSpan stopGrace)
    {
        var builder = new ContainerBuilder(image)
            .WithName(name)
            .WithEnvironment(environment)
            .WithLabel(labels)
            .WithNetwork(network)
            .WithNetworkAliases(service.Name)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithOutputConsumer(output)
            .WithLogger(NullLogger.Instance)
            .WithCreateParameterModifier(create =>
            {
                create.HostConfig ??= new HostConfig();
                create.HostConfig.PortBindings = endpoints.ToDictionary(
                    e => $"{e.Key}/tcp",
                    e => (IList<PortBinding>)[new PortBinding { HostIP = LoopbackHost, HostPort = e.Value.Port.ToString(CultureInfo.InvariantCulture) }]);
                create.StopTimeout = stopGrace;
                if (service.Healthcheck is { Disabled: true })
                {
                    // healthcheck: disable: true turns the image's HEALTHCHECK off too.
                    create.Healthcheck = new HealthcheckConfig { Test = ["NONE"] };
                }
            });
        foreach (var port in endpoints.Keys)
        {
            builder = builder.WithExposedPort(port);
        }
        if (service.Command is { } command)
        {
            builder = builder.WithCommand([.. command]);
        }
        return builder.Build();
    }

    /// <summary>
    /// The compose healthcheck as a check run in the container; null when there is none to run there: none written,
    /// disabled, or a .NET service whose image Replica makes (the check was written for the compose Dockerfile's image,
    /// with curl and the like, and the same endpoint is checked from the host anyway).
    /// </summary>
    public static HealthcheckCommand? ComposeHealthcheck(ServiceDefinition service) =>
        service.Replica.DotnetProject is null && service.Healthcheck is { Disabled: false, Test: [_, ..] } check && check.Test[0] != "NONE"
            ? new HealthcheckCommand(check.Test, check.Timeout)
            : null;
}
