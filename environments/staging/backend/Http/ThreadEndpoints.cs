using Replica.Staging.Backend.Auth;
using Replica.Staging.Backend.Database;
using Replica.Staging.Common;

namespace Replica.Staging.Backend.Http;

/// <summary>
/// /api/threads and /api/messages (GET lists, POST creates), each scoped to the bearer's user; without a bearer token
/// 403 {"detail":"Not authenticated"}. A thread that is not the user's is 404, as if it did not exist.
/// </summary>
public sealed class ThreadEndpoints(BearerAuthentication bearer, ThreadStore store)
{
    public void Map(WebApplication app)
    {
        app.MapGet("/api/threads", (HttpRequest request) => Authenticated(request, async user =>
            Results.Json(await store.ListThreadsAsync(user.UserId, request.HttpContext.RequestAborted), RecordJsonContext.Http.IReadOnlyListThreadRecord)));

        app.MapPost("/api/threads", (HttpRequest request) => Authenticated(request, async user =>
        {
            var (body, error) = await JsonBody.ReadObjectAsync(request, emptyIsObject: true);
            if (body is null)
            {
                return error!;
            }
            if (!JsonBody.TryText(body, "title", out var title, out var titleError))
            {
                return titleError;
            }
            var thread = await store.CreateThreadAsync(user.UserId, string.IsNullOrWhiteSpace(title) ? "New conversation" : title, request.HttpContext.RequestAborted);
            return Results.Json(thread, RecordJsonContext.Http.ThreadRecord, statusCode: StatusCodes.Status201Created);
        }));

        app.MapGet("/api/messages", (HttpRequest request) => Authenticated(request, async user =>
        {
            var threadId = request.Query["thread_id"].ToString() is { Length: > 0 } t ? t : null;
            if (threadId is not null && JsonInput.TextProblem(threadId) is { } problem)
            {
                return ValidationErrors.Result("value_error", ["query", "thread_id"], problem);
            }
            if (threadId is not null && !await store.ThreadBelongsToAsync(threadId, user.UserId, request.HttpContext.RequestAborted))
            {
                return ThreadNotFound();
            }
            return Results.Json(await store.ListMessagesAsync(user.UserId, threadId, request.HttpContext.RequestAborted), RecordJsonContext.Http.IReadOnlyListMessageRecord);
        }));

        app.MapPost("/api/messages", (HttpRequest request) => Authenticated(request, async user =>
        {
            var (body, error) = await JsonBody.ReadObjectAsync(request);
            if (body is null)
            {
                return error!;
            }
            if (!JsonBody.TryText(body, "thread_id", out var threadId, out var fieldError) || !JsonBody.TryText(body, "content", out var content, out fieldError))
            {
                return fieldError;
            }
            if (threadId is null)
            {
                return ValidationErrors.Missing("thread_id");
            }
            if (string.IsNullOrWhiteSpace(content))
            {
                return ValidationErrors.Missing("content");
            }
            if (!await store.ThreadBelongsToAsync(threadId, user.UserId, request.HttpContext.RequestAborted))
            {
                return ThreadNotFound();
            }
            var message = await store.AddMessageAsync(threadId, "user", content, runId: null, request.HttpContext.RequestAborted);
            return Results.Json(message, RecordJsonContext.Http.MessageRecord, statusCode: StatusCodes.Status201Created);
        }));
    }

    private async Task<IResult> Authenticated(HttpRequest request, Func<AuthenticatedUser, Task<IResult>> handler)
    {
        var (user, failure) = await bearer.AuthenticateAsync(request);
        return user is null ? failure! : await DatabaseErrors.GuardAsync(() => handler(user));
    }

    private static IResult ThreadNotFound() => JsonResults.Detail("Thread not found", StatusCodes.Status404NotFound);
}
