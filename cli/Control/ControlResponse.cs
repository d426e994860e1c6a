using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Replica.Environments.Errors;

namespace Replica.Cli.Control;

/// <summary>
/// How the control server answers in JSON: a value with its status, or an error with its kind (which the CLI turns
/// into an exit code) and an optional hint.
/// </summary>
internal static class ControlResponse
{
    public static async Task WriteJsonAsync(HttpContext context, int status, object value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, ControlJson.Options, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string message, ReplicaErrorKind kind, string? hint = null) =>
        WriteJsonAsync(context, status, new { error = message, hint, kind = kind.ToString() });
}
