using Replica.Environments.Hosting;
using Replica.Environments.Proxied;
using Replica.Testing;

namespace Replica.Environments.Tests.Proxied;

/// <summary>
/// The reference environment the way staging is reached: TLS at the edge (a certificate from a scratch certificate
/// authority, removed with the fixture) and the shipped `staging` network profile on the client path and every
/// dependency. Agent events unpaced, as in the examples.
/// </summary>
public sealed class TlsStagingEnvironment : ReplicaEnvironmentFixture
{
    private readonly string _authority = Directory.CreateTempSubdirectory("replica-tls-env-").FullName;

    /// <summary>The authority's directory; its ca.crt is what clients must trust.</summary>
    public string AuthorityDirectory => Path.Combine(_authority, "ca");

    protected override EnvironmentBuilder Configure(EnvironmentBuilder builder) => builder.WithSetting("backend", "AGENT_EVENT_DELAY", "0ms");

    protected override ReplicaEnvironmentOptions ProxyOptions => new()
    {
        EdgeTls = true,
        Network = "staging",
        CertificateAuthorityDirectory = AuthorityDirectory,
    };

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            Directory.Delete(_authority, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TlsStagingCollection : ICollectionFixture<TlsStagingEnvironment>
{
    public const string Name = "staging over TLS with the staging network profile";
}
