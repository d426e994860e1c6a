namespace Replica.Staging.Common;

/// <summary>
/// What is wrong with a client's JSON: a FastAPI-style error type ("json_invalid", "string_unicode", "value_error"),
/// where (object keys and array indexes from the root; empty for the input as a whole) and what, in words.
/// </summary>
public sealed record JsonInputProblem(string Type, IReadOnlyList<object> Location, string Message)
{
    /// <summary>The location as a dotted path ("payload.user_request", "permissions[1]"), or "" for the whole input.</summary>
    public string Path => string.Concat(Location.Select((segment, i) => segment is int index ? $"[{index}]" : i == 0 ? $"{segment}" : $".{segment}"));
}
