using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Replica.Staging.Backend.Auth;
using Replica.Staging.Backend.Configuration;
using Replica.Staging.Backend.Database;
using Replica.Staging.Backend.Protocol;
using Replica.Staging.Backend.Redis;
using StackExchange.Redis;

namespace Replica.Staging.Backend.Agents;

/// <summary>
/// One agent run: agent_started, agent_thinking, tool_executing, tool_completed, agent_completed, AGENT_EVENT_DELAY
/// apart — or agent_error when something fails on the way. With a <see cref="ThreadStore"/> the run records its
/// thread, request and result in PostgreSQL; after completion it is also written to Redis (agent:run:ID, one hour)
/// and announced on the agent:runs channel when Redis is connected — best effort, never delaying the run.
/// </summary>
public sealed class AgentRunner(BackendSettings settings, ToolDispatcher tools, RedisConnection redis, ServerFrames frames, ILogger logger)
{
    public const string RunsChannel = "agent:runs";

    /// <summary>Runs to the end; returns the result summary, or null when the run ended in agent_error.</summary>
    public async Task<string?> RunAsync(AuthenticatedUser user, string request, string? threadId, string agentName, ThreadStore? store,
        Func<JsonObject, Task> send, CancellationToken cancellationToken)
    {
        var runId = ThreadStore.NewId("run");
        var clock = Stopwatch.StartNew();
        await send(frames.AgentEvent("agent_started", runId, agentName, new JsonObject
        {
            ["status"] = "started",
            ["message"] = "Agent started processing your request",
            ["user_request"] = request,
        }));
        try
        {
            if (store is not null)
            {
                threadId = await store.BeginRunAsync(runId, user.UserId, threadId, agentName, request, cancellationToken);
            }
            await PaceAsync(cancellationToken);
            await send(frames.AgentEvent("agent_thinking", runId, agentName, new JsonObject
            {
                ["status"] = "thinking",
                ["message"] = "Analyzing your request",
                ["reasoning"] = $"The request asks about: {Shorten(request)}. The data analyzer can answer it.",
                ["step_number"] = 1,
                ["progress_percentage"] = 25,
            }));
            await PaceAsync(cancellationToken);
            var toolClock = Stopwatch.StartNew();
            await send(frames.AgentEvent("tool_executing", runId, agentName, new JsonObject
            {
                ["status"] = "executing",
                ["message"] = $"Executing {ToolDispatcher.DataAnalyzer}",
                ["tool_name"] = ToolDispatcher.DataAnalyzer,
                ["parameters"] = new JsonObject { ["query"] = request },
            }));
            var toolResult = tools.Execute(ToolDispatcher.DataAnalyzer, request);
            await PaceAsync(cancellationToken);
            await send(frames.AgentEvent("tool_completed", runId, agentName, new JsonObject
            {
                ["status"] = "completed",
                ["message"] = $"{ToolDispatcher.DataAnalyzer} completed",
                ["tool_name"] = ToolDispatcher.DataAnalyzer,
                ["result"] = toolResult,
                ["execution_time_ms"] = Math.Round(toolClock.Elapsed.TotalMilliseconds, 1),
            }));
            await PaceAsync(cancellationToken);
            var summary = $"Analyzed your request ({toolResult["word_count"]} words): {Shorten(request)}";
            if (store is not null)
            {
                await store.CompleteRunAsync(runId, threadId!, "completed", summary, cancellationToken);
            }
            await send(frames.AgentEvent("agent_completed", runId, agentName, new JsonObject
            {
                ["status"] = "completed",
                ["message"] = "Agent completed",
                ["result"] = new JsonObject
                {
                    ["summary"] = summary,
                    ["thread_id"] = threadId,
                    ["tool_results"] = toolResult.DeepClone(),
                },
                ["execution_time_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1),
            }));
            _ = AnnounceAsync(runId, user.UserId, threadId, summary);
            return summary;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var reason = ex switch
            {
                DatabaseUnavailableException => $"Database unavailable: {ex.Message}",
                Npgsql.NpgsqlException => $"Database error: {DatabaseManager.Describe(ex)}",
                _ => "Internal error",
            };
            logger.LogWarning(ex, "agent run {RunId} for {User} failed: {Reason}", runId, user.UserId, reason);
            await send(frames.AgentEvent("agent_error", runId, agentName, new JsonObject
            {
                ["status"] = "error",
                ["error_message"] = reason,
            }));
            return null;
        }
    }

    private Task PaceAsync(CancellationToken cancellationToken) =>
        settings.AgentEventDelay > TimeSpan.Zero ? Task.Delay(settings.AgentEventDelay, cancellationToken) : Task.CompletedTask;

    private async Task AnnounceAsync(string runId, string userId, string? threadId, string summary)
    {
        if (!redis.IsConnected)
        {
            return;
        }
        var record = new JsonObject { ["run_id"] = runId, ["user_id"] = userId, ["thread_id"] = threadId, ["status"] = "completed", ["result"] = summary }.ToJsonString();
        try
        {
            await redis.Database.StringSetAsync($"agent:run:{runId}", record, TimeSpan.FromHours(1));
            await redis.Database.PublishAsync(RedisChannel.Literal(RunsChannel), record);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogDebug("agent run {RunId}: not recorded in redis: {Error}", runId, redis.Describe(ex));
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
