using Npgsql;

namespace Replica.Staging.Backend.Database;

/// <summary>Threads, messages and agent runs in PostgreSQL, always scoped to one user.</summary>
public sealed class ThreadStore(DatabaseManager database)
{
    public static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    public async Task<ThreadRecord> CreateThreadAsync(string userId, string title, CancellationToken cancellationToken)
    {
        var engine = await database.EngineAsync(cancellationToken);
        await using var command = engine.CreateCommand(
            "INSERT INTO threads (id, user_id, title) VALUES ($1, $2, $3) RETURNING id, title, created_at, updated_at");
        command.Parameters.Add(new NpgsqlParameter { Value = NewId("thread") });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = title });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadThread(reader);
    }

    public async Task<IReadOnlyList<ThreadRecord>> ListThreadsAsync(string userId, CancellationToken cancellationToken)
    {
        var engine = await database.EngineAsync(cancellationToken);
        await using var command = engine.CreateCommand(
            "SELECT id, title, created_at, updated_at FROM threads WHERE user_id = $1 ORDER BY updated_at DESC LIMIT 100");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var threads = new List<ThreadRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            threads.Add(ReadThread(reader));
        }
        return threads;
    }

    public async Task<bool> ThreadBelongsToAsync(string threadId, string userId, CancellationToken cancellationToken)
    {
        var engine = await database.EngineAsync(cancellationToken);
        await using var command = engine.CreateCommand("SELECT 1 FROM threads WHERE id = $1 AND user_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = threadId });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<MessageRecord> AddMessageAsync(string threadId, string role, string content, string? runId, CancellationToken cancellationToken)
    {
        var engine = await database.EngineAsync(cancellationToken);
        await using var command = engine.CreateCommand("""
            WITH touched AS (UPDATE threads SET updated_at = now() WHERE id = $2)
            INSERT INTO messages (id, thread_id, role, content, run_id) VALUES ($1, $2, $3, $4, $5)
            RETURNING id, thread_id, role, content, run_id, created_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = NewId("msg") });
        command.Parameters.Add(new NpgsqlParameter { Value = threadId });
        command.Parameters.Add(new NpgsqlParameter { Value = role });
        command.Parameters.Add(new NpgsqlParameter { Value = content });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)runId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadMessage(reader);
    }

    /// <summary>The user's messages, of one thread or (thread null) their most recent across threads.</summary>
    public async Task<IReadOnlyList<MessageRecord>> ListMessagesAsync(string userId, string? threadId, CancellationToken cancellationToken)
    {
        var engine = await database.EngineAsync(cancellationToken);
        await using var command = engine.CreateCommand("""
            SELECT m.id, m.thread_id, m.role, m.content, m.run_id, m.created_at
            FROM messages m JOIN threads t ON t.id = m.thread_id
            WHERE t.user_id = $1 AND ($2::text IS NULL OR m.thread_id = $2)
            ORDER BY m.created_at, m.id LIMIT 200
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)threadId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var messages = new List<MessageRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(ReadMessage(reader));
        }
        return messages;
    }

    /// <summary>An agent run begins: its thread (created unless the user named one of theirs), the run and the request.</summary>
    public async Task<string> BeginRunAsync(string runId, string userId, string? threadId, string agentName, string request, CancellationToken cancellationToken)
    {
        var engine = await database.EngineAsync(cancellationToken);
        await using var connection = await engine.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (threadId is null || !await OwnsAsync(connection, threadId, userId, cancellationToken))
        {
            threadId = NewId("thread");
            await ExecuteAsync(connection, "INSERT INTO threads (id, user_id, title) VALUES ($1, $2, $3)", cancellationToken,
                threadId, userId, request.Length > 60 ? request[..60] : request);
        }
        await ExecuteAsync(connection, "INSERT INTO agent_runs (id, thread_id, user_id, agent_name, request, status) VALUES ($1, $2, $3, $4, $5, 'running')",
            cancellationToken, runId, threadId, userId, agentName, request);
        await ExecuteAsync(connection, "INSERT INTO messages (id, thread_id, role, content, run_id) VALUES ($1, $2, 'user', $3, $4)",
            cancellationToken, NewId("msg"), threadId, request, runId);
        await transaction.CommitAsync(cancellationToken);
        return threadId;
    }

    /// <summary>An agent run ends: its status and result, and the answer as the thread's next message.</summary>
    public async Task CompleteRunAsync(string runId, string threadId, string status, string result, CancellationToken cancellationToken)
    {
        var engine = await database.EngineAsync(cancellationToken);
        await using var connection = await engine.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "UPDATE agent_runs SET status = $2, result = $3, completed_at = now() WHERE id = $1", cancellationToken, runId, status, result);
        await ExecuteAsync(connection, "INSERT INTO messages (id, thread_id, role, content, run_id) VALUES ($1, $2, 'assistant', $3, $4)",
            cancellationToken, NewId("msg"), threadId, result, runId);
        await ExecuteAsync(connection, "UPDATE threads SET updated_at = now() WHERE id = $1", cancellationToken, threadId);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<bool> OwnsAsync(NpgsqlConnection connection, string threadId, string userId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM threads WHERE id = $1 AND user_id = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = threadId });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static ThreadRecord ReadThread(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetDateTime(2), reader.GetDateTime(3));

    private static MessageRecord ReadMessage(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetDateTime(5));
}
