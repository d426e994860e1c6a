namespace Replica.Environments.Compose;

/// <summary>
/// `x-replica.edge.tls`: whether the edge proxy serves https:// and wss://, and with which certificate. <c>true</c>
/// has the local certificate authority issue one for localhost, 127.0.0.1, ::1 and <see cref="Hosts"/>;
/// <see cref="CertificateFile"/> and <see cref="KeyFile"/> (absolute, resolved against the compose file's directory)
/// serve the user's own. Each field's place in the file is kept, so a file that cannot be used is named exactly.
/// </summary>
public sealed record EdgeTlsDefinition(
    bool Enabled,
    IReadOnlyList<string> Hosts,
    string? CertificateFile,
    string? KeyFile,
    SourceLocation Location,
    SourceLocation? HostsLocation = null,
    SourceLocation? CertificateLocation = null,
    SourceLocation? KeyLocation = null)
{
    public static EdgeTlsDefinition Off { get; } = new(false, [], null, null, new SourceLocation("", 0, 0));
}
