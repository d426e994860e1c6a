namespace Replica.Staging.Backend.Database;

/// <summary>The threads/messages schema, created at startup (idempotent: the backend restarts onto the same database).</summary>
public static class DatabaseSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS threads (
            id          text PRIMARY KEY,
            user_id     text NOT NULL,
            title       text NOT NULL,
            created_at  timestamptz NOT NULL DEFAULT now(),
            updated_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX IF NOT EXISTS threads_user ON threads (user_id, updated_at DESC);
        CREATE TABLE IF NOT EXISTS messages (
            id          text PRIMARY KEY,
            thread_id   text NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
            role        text NOT NULL,
            content     text NOT NULL,
            run_id      text,
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX IF NOT EXISTS messages_thread ON messages (thread_id, created_at);
        CREATE TABLE IF NOT EXISTS agent_runs (
            id            text PRIMARY KEY,
            thread_id     text NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
            user_id       text NOT NULL,
            agent_name    text NOT NULL,
            request       text NOT NULL,
            status        text NOT NULL,
            result        text,
            started_at    timestamptz NOT NULL DEFAULT now(),
            completed_at  timestamptz
        );
        """;
}
