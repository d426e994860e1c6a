using Replica.Proxy.Tcp.Configuration;
using Replica.Tests.Support;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>The -config file: the populate format plus toxics; errors name the file and what is wrong.</summary>
public sealed class ProxyConfigFileTests : IDisposable
{
    private readonly ScratchDirectory directory = new("replica-toxiproxy-config-");

    public void Dispose() => directory.Dispose();

    [Fact]
    public void Reads_proxies_with_their_toxics()
    {
        var path = Write("""
            [
              {"name": "redis", "listen": "127.0.0.1:0", "upstream": "127.0.0.1:6379",
               "toxics": [{"type": "startup_delay", "attributes": {"delay": 5000, "mode": "hold"}}]},
              {"name": "postgres", "listen": "127.0.0.1:0", "upstream": "127.0.0.1:5432", "enabled": false}
            ]
            """);

        var proxies = ProxyConfigFile.Load(path);

        Assert.Equal(["redis", "postgres"], proxies.Select(p => p.Name));
        Assert.Equal("startup_delay", Assert.Single(proxies[0].Toxics!).Type);
        Assert.True(proxies[0].Enabled);
        Assert.False(proxies[1].Enabled);
    }

    [Theory]
    [InlineData("[{\"name\": \"a\",\n  \"listen\": }]", "line 2, column 13")]
    [InlineData("{\"name\": \"a\"}", "cannot unmarshal object into list of proxies of type array")]
    [InlineData("[{\"name\": \"a\", \"toxics\": {}}]", "cannot unmarshal object into field toxics of type array")]
    [InlineData("", "EOF")]
    public void Malformed_files_name_the_file_and_the_problem(string content, string expected)
    {
        var path = Write(content);

        var error = Assert.Throws<ProxyConfigException>(() => ProxyConfigFile.Load(path));

        Assert.StartsWith($"config {path}: ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("bad request body", error.Message);
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void A_missing_file_is_bad_input()
    {
        var error = Assert.Throws<ProxyConfigException>(() => ProxyConfigFile.Load(Path.Combine(directory.Path, "nope.json")));

        Assert.Contains("nope.json: cannot read it", error.Message);
        Assert.Null(error.StatusCode);
    }

    private string Write(string content)
    {
        return directory.Write("proxies.json", content);
    }
}
