using Npgsql;

namespace Replica.Staging.Backend.Database;

/// <summary>postgresql://user:password@host:port/database (staging's DATABASE_URL) as an Npgsql connection string.</summary>
public static class PostgresUrl
{
    public static string ToConnectionString(string url, TimeSpan? connectTimeout = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres") || uri.Host.Length == 0)
        {
            throw new FormatException($"not a postgresql://user:password@host:port/database URL: '{url}'");
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        var colon = uri.UserInfo.IndexOf(':');
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]),
            Password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]),
            Database = database.Length > 0 ? database : null,
            ApplicationName = "netra-backend",
            // Npgsql counts whole seconds; finer connect deadlines are enforced with cancellation where they matter.
            Timeout = (int)Math.Clamp(Math.Ceiling((connectTimeout ?? TimeSpan.FromSeconds(15)).TotalSeconds), 1, 1024),
            MaxPoolSize = 100,
        };
        return builder.ConnectionString;
    }
}
