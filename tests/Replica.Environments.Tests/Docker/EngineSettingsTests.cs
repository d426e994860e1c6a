using Replica.Environments.Docker;
using Replica.Environments.Errors;

namespace Replica.Environments.Tests.Docker;

/// <summary>
/// Needs no engine: how Replica reads the engine settings before asking any engine (DOCKER_HOST, DOCKER_API_VERSION,
/// REPLICA_RYUK), and which API version it chooses for what an engine says. The CLI's own messages for no engine are
/// in <see cref="DockerRuntimeWithoutEngineTests"/>.
/// </summary>
public sealed class EngineSettingsTests
{
    private static readonly DockerEndpoint Local = DockerEndpoint.Unix(DockerEndpoint.DefaultSocketPath);

    [Theory]
    [InlineData("http://localhost:2375")]
    [InlineData("unix://relative.sock")]
    [InlineData("tcp://localhost")]
    public void A_bad_DOCKER_HOST_is_bad_input_naming_the_setting(string value)
    {
        var error = Assert.Throws<ReplicaException>(() => DockerEndpoint.Parse(value, "DOCKER_HOST"));

        Assert.Equal(ReplicaErrorKind.BadInput, error.Kind);
        Assert.Contains($"DOCKER_HOST: '{value}'", error.Message);
        Assert.Contains("expected unix:///absolute/path.sock or tcp://host:port", error.Message);
    }

    [Fact]
    public void Endpoints_parse_to_what_they_name_and_to_the_uri_Testcontainers_takes()
    {
        var unix = DockerEndpoint.Parse("unix:///run/x/docker.sock");
        Assert.Equal("/run/x/docker.sock", unix.SocketPath);
        Assert.Equal(new Uri("unix:///run/x/docker.sock"), unix.Uri);
        var tcp = DockerEndpoint.Parse("tcp://127.0.0.1:2375");
        Assert.Equal(("127.0.0.1", 2375), (tcp.Host, tcp.Port));
        Assert.Equal("tcp://127.0.0.1:2375", tcp.Address);
        Assert.Equal(new Uri("tcp://127.0.0.1:2375"), tcp.Uri);
    }

    [Theory]
    [InlineData("1.41", null, "1.41")] // Debian's dockerd 20.10: its own version, not Testcontainers' 1.44
    [InlineData("1.43", "1.12", "1.43")]
    [InlineData("1.44", "1.24", "1.44")]
    [InlineData("1.47", "1.24", "1.44")] // newer engines: the version Testcontainers is written for
    [InlineData("1.52", "1.45", "1.45")] // an engine that refuses 1.44: its oldest
    public void The_API_version_is_the_older_of_the_engines_and_Testcontainers_within_what_the_engine_accepts(string engineApi, string? engineMin, string chosen)
    {
        var version = TestcontainersConfiguration.ChooseApiVersion(Version.Parse(engineApi), engineMin is null ? null : Version.Parse(engineMin), pinned: null, Local);

        Assert.Equal(Version.Parse(chosen), version);
    }

    [Fact]
    public void DOCKER_API_VERSION_pins_the_version_the_engine_speaks_and_one_newer_is_bad_input_naming_both()
    {
        Assert.Equal(new Version(1, 41), TestcontainersConfiguration.ChooseApiVersion(new Version(1, 47), null, new Version(1, 41), Local));

        var error = Assert.Throws<ReplicaException>(() => TestcontainersConfiguration.ChooseApiVersion(new Version(1, 41), null, new Version(1, 44), Local));

        Assert.Equal($"DOCKER_API_VERSION=1.44 is newer than API 1.41, the newest the engine at {Local} speaks", error.Message);
        Assert.Equal(ReplicaErrorKind.BadInput, error.Kind);
    }

    [Fact]
    public void An_engine_older_than_20_10_is_a_missing_prerequisite()
    {
        var error = Assert.Throws<ReplicaException>(() => TestcontainersConfiguration.ChooseApiVersion(new Version(1, 40), null, null, Local));

        Assert.Equal(ReplicaErrorKind.MissingPrerequisite, error.Kind);
        Assert.Contains("speaks API 1.40; Replica needs 1.41 or newer", error.Message);
    }

    [Theory]
    [InlineData("latest", "DOCKER_API_VERSION: 'latest' is not an API version; expected major.minor such as 1.44")]
    [InlineData("1.41.2", "DOCKER_API_VERSION: '1.41.2' is not an API version; expected major.minor such as 1.44")]
    [InlineData("1.40", "DOCKER_API_VERSION=1.40 is older than 1.41, the oldest API Replica speaks")]
    public void A_bad_DOCKER_API_VERSION_is_bad_input(string value, string message)
    {
        var error = Assert.Throws<ReplicaException>(() => TestcontainersConfiguration.ReadPinnedVersion(value));

        Assert.Equal(message, error.Message);
        Assert.Equal(ReplicaErrorKind.BadInput, error.Kind);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("true", true)]
    [InlineData("ON", true)]
    public void Ryuk_is_off_unless_REPLICA_RYUK_says_otherwise(string value, bool enabled) =>
        Assert.Equal(enabled, TestcontainersConfiguration.ReadRyukEnabled(value));

    [Fact]
    public void A_REPLICA_RYUK_that_is_not_a_switch_is_bad_input_naming_it()
    {
        var error = Assert.Throws<ReplicaException>(() => TestcontainersConfiguration.ReadRyukEnabled("sometimes"));

        Assert.Equal("REPLICA_RYUK: 'sometimes' is not a switch; expected true or false", error.Message);
        Assert.Equal(ReplicaErrorKind.BadInput, error.Kind);
    }
}
