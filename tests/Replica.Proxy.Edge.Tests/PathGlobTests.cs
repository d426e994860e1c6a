using Replica.Proxy.Edge.Faults.Matching;

namespace Replica.Proxy.Edge.Tests;

/// <summary>
/// What a rule's path pattern matches, as RULES.md documents it: patterns without wildcards (compared as text), with
/// a literal start before the first wildcard (checked before the regular expression), and starting with a wildcard.
/// </summary>
public sealed class PathGlobTests
{
    [Theory]
    // No wildcard: the path itself, exactly, case and trailing slash included.
    [InlineData("/ws/never/0", "/ws/never/0", true)]
    [InlineData("/ws/never/0", "/ws/never/01", false)]
    [InlineData("/ws/never/0", "/ws/never/0/", false)]
    [InlineData("/ws/never/0", "/WS/never/0", false)]
    [InlineData("/ws/never/0", "/bench", false)]
    // A trailing /**: the prefix itself, and anything below it, but not a longer segment.
    [InlineData("/auth/**", "/auth", true)]
    [InlineData("/auth/**", "/auth/", true)]
    [InlineData("/auth/**", "/auth/token/refresh", true)]
    [InlineData("/auth/**", "/authz", false)]
    [InlineData("/auth/**", "/Auth/token", false)]
    [InlineData("/auth/**", "/api/auth/token", false)]
    // * stays within one segment; ? is one character other than '/'.
    [InlineData("/api/*/messages", "/api/t1/messages", true)]
    [InlineData("/api/*/messages", "/api/t1/t2/messages", false)]
    [InlineData("/api/*/messages", "/api//messages", true)]
    [InlineData("/v?/health", "/v1/health", true)]
    [InlineData("/v?/health", "/v12/health", false)]
    [InlineData("/v?/health", "/v//health", false)]
    // ** between slashes: zero or more whole segments.
    [InlineData("/api/**/ready", "/api/ready", true)]
    [InlineData("/api/**/ready", "/api/health/ready", true)]
    [InlineData("/api/**/ready", "/api/a/b/ready", true)]
    [InlineData("/api/**/ready", "/apiready", false)]
    [InlineData("/api/**/ready", "/api/unready", false)]
    // ** elsewhere: any text, slashes included.
    [InlineData("/api/thr**", "/api/threads/1/messages", true)]
    [InlineData("/api/thr**", "/api/th", false)]
    // Starting with a wildcard: no literal start to check.
    [InlineData("**", "/anything/at/all", true)]
    [InlineData("/**", "/", true)]
    [InlineData("/**", "/a/b", true)]
    [InlineData("**/ws", "/api/v1/ws", true)]
    [InlineData("**/ws", "/api/v1/wss", false)]
    // Regex metacharacters in the pattern are text.
    [InlineData("/a.b/**", "/a.b/c", true)]
    [InlineData("/a.b/**", "/axb/c", false)]
    [InlineData("/price$/*", "/price$/1", true)]
    public void A_pattern_matches_the_paths_its_wildcards_allow(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, PathGlob.Parse(pattern).IsMatch(path));
    }
}
