namespace Replica.Environments.Docker;

/// <summary>
/// The options of one <c>POST /build</c>. <see cref="HostNetwork"/> gives RUN steps the host's network, the
/// only way apt-get inside a build reaches the Debian mirror on a machine without a registry.
/// </summary>
public sealed record ImageBuildRequest(string Tag)
{
    public string Dockerfile { get; init; } = "Dockerfile";

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public bool HostNetwork { get; init; } = true;
}
