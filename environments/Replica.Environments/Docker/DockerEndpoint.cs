using Replica.Environments.Errors;

namespace Replica.Environments.Docker;

/// <summary>Where the Docker engine listens: a unix socket path, or a tcp host and port (plain HTTP).</summary>
public sealed record DockerEndpoint
{
    public const string DefaultSocketPath = "/var/run/docker.sock";

    private DockerEndpoint(string address, string? socketPath, string? host, int port)
    {
        Address = address;
        SocketPath = socketPath;
        Host = host;
        Port = port;
    }

    /// <summary>The endpoint as a user writes it, e.g. <c>unix:///var/run/docker.sock</c>; used in every message.</summary>
    public string Address { get; }

    public string? SocketPath { get; }

    public string? Host { get; }

    public int Port { get; }

    public static DockerEndpoint Unix(string socketPath) => new($"unix://{socketPath}", socketPath, null, 0);

    /// <summary>DOCKER_HOST when set, else the default unix socket.</summary>
    public static DockerEndpoint FromEnvironment()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        return string.IsNullOrWhiteSpace(dockerHost) ? Unix(DefaultSocketPath) : Parse(dockerHost, "DOCKER_HOST");
    }

    /// <summary>Parses <c>unix:///path</c> or <c>tcp://host:port</c>; <paramref name="source"/> names the setting in errors.</summary>
    public static DockerEndpoint Parse(string value, string source = "docker endpoint")
    {
        var text = value.Trim();
        if (text.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = text["unix://".Length..];
            if (!path.StartsWith('/'))
            {
                throw BadEndpoint(value, source);
            }

            return Unix(path);
        }

        if (text.StartsWith("tcp://", StringComparison.Ordinal)
            && Uri.TryCreate("http://" + text["tcp://".Length..], UriKind.Absolute, out var uri)
            && !uri.IsDefaultPort
            && uri.AbsolutePath == "/")
        {
            return new DockerEndpoint($"tcp://{uri.Authority}", null, uri.Host, uri.Port);
        }

        throw BadEndpoint(value, source);
    }

    /// <summary>The endpoint as Docker.DotNet and Testcontainers take it: unix:///path or tcp://host:port.</summary>
    public Uri Uri => new(Address);

    public override string ToString() => Address;

    private static ReplicaException BadEndpoint(string value, string source) => new(
        $"{source}: '{value}' is not a Docker endpoint; expected unix:///absolute/path.sock or tcp://host:port",
        kind: ReplicaErrorKind.BadInput,
        hint: "TLS endpoints (DOCKER_TLS_VERIFY) are not supported; use the local unix socket");
}
