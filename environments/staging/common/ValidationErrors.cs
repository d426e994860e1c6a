using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Replica.Staging.Common;

/// <summary>
/// 422 answers in the shape staging's framework (FastAPI) gave them, so clients written against staging parse them:
/// {"detail":[{"type":"missing","loc":["body","email"],"msg":"Field required"}]}.
/// </summary>
public static class ValidationErrors
{
    /// <summary>A body that is not JSON at all; <paramref name="reason"/> is in the services' own words (where, not a parser's text).</summary>
    public static IResult InvalidJson(string reason) => Result("json_invalid", ["body"], $"JSON decode error: {reason}");

    public static IResult Missing(string field) => Result("missing", ["body", field], "Field required");

    public static IResult WrongType(string field, string expected) => Result($"{expected}_type", ["body", field], $"Input should be a valid {expected}");

    /// <summary><paramref name="location"/> holds object keys (strings) and array indexes (ints, numbers in "loc").</summary>
    public static IResult Result(string type, object[] location, string message) =>
        JsonResults.Json(new JsonObject
        {
            ["detail"] = new JsonArray(new JsonObject
            {
                ["type"] = type,
                ["loc"] = new JsonArray(location.Select(segment => segment is int index ? JsonValue.Create(index) : JsonValue.Create((string)segment)).ToArray()),
                ["msg"] = message,
            }),
        }, StatusCodes.Status422UnprocessableEntity);
}
