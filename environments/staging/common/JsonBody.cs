using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Replica.Staging.Common;

/// <summary>
/// Reads a request body that must be a JSON object (<see cref="JsonInput"/>: UTF-8, well-formed, no key twice, valid
/// text). Anything else is a 4xx in staging's shape naming where the problem is — 413 past <see cref="MaxBytes"/>, 422
/// otherwise — so a handler never meets input that throws. Linked into auth and backend.
/// </summary>
public static class JsonBody
{
    /// <summary>The largest body read: every body this API takes is a few fields of text.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request, bool emptyIsObject = false)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, TooLarge());
            }
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (emptyIsObject && bytes.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (new JsonObject(), null);
        }
        var (value, problem) = JsonInput.Parse(bytes);
        if (problem is not null)
        {
            return (null, problem.Type == "json_invalid" && problem.Location.Count == 0
                ? ValidationErrors.InvalidJson(problem.Message)
                : ValidationErrors.Result(problem.Type, ["body", .. problem.Location], problem.Message));
        }
        return value is JsonObject body
            ? (body, null)
            : (null, ValidationErrors.Result("model_attributes_type", ["body"], "Input should be a valid dictionary"));
    }

    /// <summary>A string field: null when absent; an error when present but not a string.</summary>
    public static bool TryText(JsonObject body, string field, out string? value, [NotNullWhen(false)] out IResult? error)
    {
        (value, error) = (null, null);
        if (body[field] is null)
        {
            return true;
        }
        if (body[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }
        error = ValidationErrors.WrongType(field, "string");
        return false;
    }

    private static IResult TooLarge() =>
        JsonResults.Detail($"Request body too large: at most {MaxBytes} bytes", StatusCodes.Status413PayloadTooLarge);
}
