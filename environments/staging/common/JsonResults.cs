using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Replica.Staging.Common;

/// <summary>
/// JSON answers built as JsonObject and written with <see cref="StagingJsonContext.Http"/>'s metadata, so they survive
/// Native AOT and escape text as ASP.NET Core's JSON results always did. The keys are literal: the backend's snake_case
/// naming policy does not apply to them, so each is written as it goes out on the wire. Content-Type is
/// "application/json; charset=utf-8", as with any Results.Json. Linked into auth and backend.
/// </summary>
public static class JsonResults
{
    public static IResult Json(JsonObject body, int? statusCode = null) =>
        Results.Json(body, StagingJsonContext.Http.JsonObject, statusCode: statusCode);

    /// <summary>{"detail":"..."}: how staging's framework answered an error that is not a validation error.</summary>
    public static IResult Detail(string detail, int statusCode) => Json(new JsonObject { ["detail"] = detail }, statusCode);
}
