using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

/// <summary>`x-replica.edge.tls` and `x-replica.network` in compose.yaml: read into the topology, or refused at their line.</summary>
public sealed class EdgeShapeSettingsTests : IDisposable
{
    private const string Services = """
        services:
          api:
            image: api
            ports: ["8000"]
        """;

    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Topology Load(string replica) => ComposeLoader.Load(_dir.Write("compose.yaml", Services + "\n" + replica));

    private IReadOnlyList<ConfigurationProblem> Reject(string replica) =>
        Assert.Throws<ConfigurationException>(() => Load(replica)).Problems;

    [Fact]
    public void Tls_true_and_a_shipped_profile_by_name()
    {
        var topology = Load("""
            x-replica:
              network: staging
              edge:
                tls: true
                routes: [{ path: "/{**rest}", service: api }]
            """);

        Assert.True(topology.EdgeTls.Enabled);
        Assert.Null(topology.EdgeTls.CertificateFile);
        Assert.Equal("staging", topology.Network.Profile);
        Assert.Same(NetworkProfiles.Staging, topology.Network.Select(null, "--network"));
        Assert.Same(NetworkProfiles.None, topology.Network.Select("none", "--network"));
    }

    [Fact]
    public void The_reference_compose_file_leaves_tls_off_and_loopback_as_it_is_unless_its_variables_say_otherwise()
    {
        var reference = ComposeLoader.Load(RepositoryPaths.ComposeFile);
        _dir.Write(".env", "REPLICA_EDGE_TLS=true\nREPLICA_NETWORK=staging\n");
        var switched = Load("""
            x-replica:
              network: ${REPLICA_NETWORK:-none}
              edge:
                tls: ${REPLICA_EDGE_TLS:-false}
            """);

        Assert.False(reference.EdgeTls.Enabled);
        Assert.Same(NetworkProfiles.None, reference.Network.Select(null, "network"));
        Assert.Contains("tls: ${REPLICA_EDGE_TLS:-false}", File.ReadAllText(RepositoryPaths.ComposeFile));
        Assert.Contains("network: ${REPLICA_NETWORK:-none}", File.ReadAllText(RepositoryPaths.ComposeFile));
        Assert.True(switched.EdgeTls.Enabled);
        Assert.Equal("staging", switched.Network.Profile);
    }

    [Fact]
    public void Own_certificate_files_are_resolved_against_the_compose_file_and_a_declared_profile_is_selectable()
    {
        _dir.Write("certs/edge.crt", "x");
        _dir.Write("certs/edge.key", "x");

        var topology = Load("""
            x-replica:
              network:
                profile: far-region
                profiles:
                  far-region:
                    description: a region across the ocean
                    clients: { rtt: 120ms, jitter: 10ms, bandwidth: 20mbit }
                    dependencies: { rtt: 0.5ms, bandwidth: 1.25GB/s }
              edge:
                tls: { hosts: [api.staging.test], certificate: certs/edge.crt, key: certs/edge.key }
            """);

        var profile = topology.Network.Select(null, "network");
        Assert.Equal(("far-region", TimeSpan.FromMilliseconds(120), TimeSpan.FromMilliseconds(10), 2_500_000L),
            (profile.Name, profile.Clients.RoundTrip, profile.Clients.Jitter, profile.Clients.BytesPerSecond));
        Assert.Equal((TimeSpan.FromMilliseconds(0.5), 1_250_000_000L), (profile.Dependencies.RoundTrip, profile.Dependencies.BytesPerSecond));
        Assert.Equal(Path.Combine(_dir.Path, "certs", "edge.crt"), topology.EdgeTls.CertificateFile);
        Assert.Equal(["api.staging.test"], topology.EdgeTls.Hosts);
    }

    [Fact]
    public void An_unknown_profile_is_named_at_its_line_with_the_known_ones()
    {
        var problem = Assert.Single(Reject("""
            x-replica:
              network: stagin
            """));

        Assert.Equal((6, 12), (problem.Location.Line, problem.Location.Column)); // the value, after the four lines of services
        Assert.Contains("x-replica.network: unknown network profile 'stagin' (did you mean 'staging'?); known: none, staging", problem.Message);
    }

    [Fact]
    public void Bad_tls_and_profile_values_are_all_reported_at_their_lines()
    {
        var problems = Reject("""
            x-replica:
              network:
                profiles:
                  staging: { clients: { rtt: 10ms } }
                  odd:
                    clients: { rtt: 10ms, jitter: 20ms, bandwidth: 10mb }
                    dependencies: { rt: 1ms }
              edge:
                tls: { certificate: missing.crt, hosts: [ok.test] }
            """).Select(p => $"{p.Location.Line}: {p.Message}").ToList();

        Assert.Contains(problems, p => p.StartsWith("8: x-replica.network.profiles.staging: 'staging' is a profile Replica ships"));
        Assert.Contains(problems, p => p.StartsWith("10: x-replica.network.profiles.odd.clients.bandwidth: expected a rate such as 100mbit"));
        Assert.Contains(problems, p => p.StartsWith("10: x-replica.network.profiles.odd.clients.jitter: at most the rtt"));
        Assert.Contains(problems, p => p.StartsWith("11: ") && p.Contains("unknown key 'rt'") && p.Contains("did you mean 'rtt'"));
        Assert.Contains(problems, p => p.StartsWith("13: x-replica.edge.tls.certificate: missing.crt: no such file"));
        Assert.Contains(problems, p => p.StartsWith("13: x-replica.edge.tls.certificate: give its private key too"));
    }

    [Theory]
    [InlineData("100mbit", 12_500_000L)]
    [InlineData("100 Mbit/s", 12_500_000L)]
    [InlineData("12.5MB/s", 12_500_000L)]
    [InlineData("500kB", 500_000L)]
    [InlineData("64000", 64_000L)]
    public void Rates_read_as_people_write_them(string text, long bytesPerSecond)
    {
        Assert.True(Bandwidth.TryParse(text, out var parsed));
        Assert.Equal(bytesPerSecond, parsed);
    }

    [Theory]
    [InlineData("10mb")]
    [InlineData("fast")]
    [InlineData("0")]
    public void Ambiguous_or_empty_rates_are_refused(string text) => Assert.False(Bandwidth.TryParse(text, out _));
}
