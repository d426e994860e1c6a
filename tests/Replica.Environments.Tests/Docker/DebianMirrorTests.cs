using System.Diagnostics;
using Replica.Tests.Support;

namespace Replica.Environments.Tests.Docker;

/// <summary>
/// docker-tier.sh takes the Debian mirror for debootstrap from the machine's apt sources (deb822 and one-line), so
/// that no mirror is written in the repository. Fake apt configuration directories; no engine, no network.
/// </summary>
public sealed class DebianMirrorTests : IDisposable
{
    private readonly ScratchDirectory _apt = new("replica-apt-");

    public void Dispose() => _apt.Dispose();

    private async Task<(int ExitCode, string Output, string Error)> MirrorAsync(params (string Key, string Value)[] variables)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryPaths.Images, "docker-tier.sh"), "mirror"]);
        start.Environment["REPLICA_APT_SOURCES_DIR"] = _apt.Path;
        start.Environment.Remove("REPLICA_DEBIAN_MIRROR");
        start.Environment.Remove("REPLICA_DEBIAN_SUITE");
        foreach (var (key, value) in variables)
        {
            start.Environment[key] = value;
        }
        var (exitCode, output, error) = await ChildProcess.RunAsync(start, "docker-tier.sh mirror", TimeSpan.FromSeconds(30));
        return (exitCode, output.Trim(), error);
    }

    [Fact]
    public async Task A_deb822_source_for_the_suite_is_the_mirror_and_source_and_disabled_stanzas_are_not()
    {
        _apt.Write("sources.list.d/debian.sources", """
            Types: deb-src
            URIs: http://sources-only.invalid/debian
            Suites: bookworm

            Types: deb
            URIs: http://switched-off.invalid/debian
            Suites: bookworm
            Enabled: no

            Types: deb
            # a comment inside the stanza
            URIs: http://security.invalid/debian-security
            Suites: bookworm-security

            Types: deb
            URIs: http://first.invalid/debian/ http://second.invalid/debian
            Suites: bookworm bookworm-updates
            Components: main
            """);

        var (exitCode, mirror, error) = await MirrorAsync();

        Assert.True(exitCode == 0, error);
        Assert.Equal("http://first.invalid/debian", mirror);
    }

    [Fact]
    public async Task A_one_line_deb_entry_with_options_is_read_and_another_suite_falls_back_to_the_main_archive()
    {
        _apt.Write("sources.list", """
            # deb http://commented.invalid/debian bookworm main
            deb [arch=amd64 signed-by=/usr/share/keyrings/debian.gpg] http://security.invalid/debian-security trixie-security main
            deb http://archive.invalid/debian trixie main
            """);

        Assert.Equal("http://archive.invalid/debian", (await MirrorAsync(("REPLICA_DEBIAN_SUITE", "trixie"))).Output);
        // No source names bookworm: the first archive that is not a security one still serves it.
        Assert.Equal("http://archive.invalid/debian", (await MirrorAsync()).Output);
    }

    [Fact]
    public async Task REPLICA_DEBIAN_MIRROR_overrides_and_no_source_at_all_says_how_to_set_one()
    {
        Assert.Equal("http://override.invalid/debian", (await MirrorAsync(("REPLICA_DEBIAN_MIRROR", "http://override.invalid/debian"))).Output);

        var (exitCode, _, error) = await MirrorAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("no Debian mirror: apt has no deb source", error);
        Assert.Contains("set REPLICA_DEBIAN_MIRROR", error);
    }
}
