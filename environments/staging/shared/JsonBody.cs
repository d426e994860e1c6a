using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Replica.Staging.Shared;

/// <summary>Reads a request body that must be a JSON object; anything else is a 422 in staging's shape. Linked into auth and backend.</summary>
public static class JsonBody
{
    public static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request, bool emptyIsObject = false)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (emptyIsObject && string.IsNullOrWhiteSpace(text))
        {
            return (new JsonObject(), null);
        }
        try
        {
            return JsonNode.Parse(text) is JsonObject body
                ? (body, null)
                : (null, ValidationErrors.Result("model_attributes_type", ["body"], "Input should be a valid dictionary"));
        }
        catch (JsonException ex)
        {
            return (null, ValidationErrors.InvalidJson(ex.Message));
        }
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
}
