using Replica.Proxy.Tcp.Proxies;

namespace Replica.Proxy.Tcp.Configuration;

/// <summary>
/// toxiproxy-server's <c>-config</c> file: a JSON array in the <c>/populate</c> format, where each proxy may also list
/// its <c>toxics</c> (Replica's addition; Toxiproxy ignores them). Errors name the file and what is wrong in it.
/// </summary>
public static class ProxyConfigFile
{
    public static IReadOnlyList<ProxyDefinition> Load(string path)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProxyConfigException($"config {path}: cannot read it: {e.Message}", inner: e);
        }
        try
        {
            return DefinitionReader.Proxies(LenientJson.Parse(content));
        }
        catch (ToxiproxyException e)
        {
            throw Invalid(path, e);
        }
    }

    /// <summary>The config's own wording for an error found in it (parsing, or later when populating).</summary>
    public static ProxyConfigException Invalid(string path, ToxiproxyException error)
    {
        var message = error.Message.StartsWith("bad request body: ", StringComparison.Ordinal) ? error.Message["bad request body: ".Length..] : error.Message;
        return new ProxyConfigException($"config {path}: {message}",
            hint: error.StatusCode >= 500 ? error.Hint : "the file is a JSON array of {\"name\",\"listen\",\"upstream\",\"enabled\",\"toxics\"} objects, as POST /populate takes", inner: error);
    }
}
