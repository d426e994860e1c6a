using Npgsql;
using Replica.Environments.Runtimes;

namespace Replica.Environments.HealthChecks;

/// <summary>Connects as the service's user to its database and runs SELECT 1 (stronger than pg_isready).</summary>
public sealed class PostgresQueryCheck : IHealthCheck
{
    private readonly string _connectionString;
    private readonly HostEndpoint _endpoint;

    public PostgresQueryCheck(HostEndpoint endpoint, string user, string? password, string database)
    {
        _endpoint = endpoint;
        _connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = endpoint.Host,
            Port = endpoint.Port,
            Username = user,
            Password = password,
            Database = database,
            Pooling = false,
            Timeout = 3,
            CommandTimeout = 3,
        }.ConnectionString;
    }

    public string Description => $"PostgreSQL SELECT 1 {_endpoint}";

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Ok("SELECT 1");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
        {
            return HealthCheckResult.Fail($"PostgreSQL {_endpoint}: {ex.Message}");
        }
    }
}
