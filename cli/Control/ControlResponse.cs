using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Replica.Environments.Errors;

namespace Replica.Cli.Control;

/// <summary>
/// How the control server answers in JSON: a value with its status, or an error with its kind (which the CLI turns
/// into an exit code) and an optional hint.
/// </summary>
internal static class ControlResponse
{
    /// <summary>Answers <paramref name="value"/> with <paramref name="status"/>, written as <paramref name="type"/> says (a <see cref="ControlJsonContext"/> type).</summary>
    public static async Task WriteJsonAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string message, ReplicaErrorKind kind, string? hint = null) =>
        WriteJsonAsync(context, status, new ControlError(message, hint, kind.ToString()), ControlJsonContext.Default.ControlError);
}
