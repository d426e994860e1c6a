using Replica.Staging.Backend.Redis;

namespace Replica.Staging.Tests;

public sealed class RedisEndpointTests
{
    [Theory]
    [InlineData("redis://redis:6379/0", "redis", 6379, 0, null, null)]
    [InlineData("redis://127.0.0.1:41234/3", "127.0.0.1", 41234, 3, null, null)]
    [InlineData("redis://localhost", "localhost", 6379, 0, null, null)]
    [InlineData("redis://:s%40cret@cache:7000/1", "cache", 7000, 1, null, "s@cret")]
    [InlineData("redis://app:pw@cache:7000", "cache", 7000, 0, "app", "pw")]
    public void Parses_host_port_database_and_credentials(string url, string host, int port, int database, string? user, string? password)
    {
        Assert.Equal(new RedisEndpoint(host, port, database, user, password), RedisEndpoint.Parse(url));
    }

    [Theory]
    [InlineData("http://redis:6379")]
    [InlineData("redis:6379")]
    [InlineData("redis://redis:6379/zero")]
    [InlineData("")]
    public void Anything_else_is_a_clear_format_error(string url)
    {
        var error = Assert.Throws<FormatException>(() => RedisEndpoint.Parse(url));
        Assert.Contains(url, error.Message);
    }

    [Fact]
    public void The_printed_form_never_shows_the_password()
    {
        Assert.Equal("cache:7000/1", RedisEndpoint.Parse("redis://:secret@cache:7000/1").ToString());
    }
}
