using System.Net;
using StackExchange.Redis;

namespace Replica.Staging.Backend.Redis;

/// <summary>
/// Where a Redis server is and how to log in, from a redis://[user:password@]host[:port][/db] URL — staging's
/// REDIS_URL form, which StackExchange.Redis's own configuration string ("host:port,password=…") does not read.
/// </summary>
public sealed record RedisEndpoint(string Host, int Port, int Database, string? User, string? Password)
{
    public const int DefaultPort = 6379;

    public static RedisEndpoint Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "redis" || uri.Host.Length == 0)
        {
            throw new FormatException($"not a redis://host:port/db URL: '{url}'");
        }
        var path = uri.AbsolutePath.Trim('/');
        var database = 0;
        if (path.Length > 0 && (!int.TryParse(path, out database) || database < 0))
        {
            throw new FormatException($"the database in '{url}' must be a number, got '{path}'");
        }
        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            user = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[..colon]);
            password = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[(colon + 1)..]);
            user = string.IsNullOrEmpty(user) ? null : user;
        }
        return new RedisEndpoint(uri.Host, uri.Port > 0 ? uri.Port : DefaultPort, database, user, password);
    }

    /// <summary>The endpoint, database and credentials as StackExchange.Redis options; the caller adds the timings.</summary>
    public ConfigurationOptions ToConfigurationOptions()
    {
        var options = new ConfigurationOptions
        {
            DefaultDatabase = Database,
            User = User,
            Password = Password,
        };
        options.EndPoints.Add(IPAddress.TryParse(Host, out var address) ? new IPEndPoint(address, Port) : new DnsEndPoint(Host, Port));
        return options;
    }

    /// <summary>host:port/db — never the password, so it is safe in logs.</summary>
    public override string ToString() => $"{Host}:{Port}/{Database}";
}
