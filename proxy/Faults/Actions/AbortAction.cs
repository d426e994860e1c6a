using System.Text;
using System.Text.Json;

namespace Replica.Proxy.Faults.Actions;

/// <summary>Answers with <see cref="Status"/>, a JSON body and headers instead of forwarding (e.g. 503 + Retry-After).</summary>
/// <param name="Body">JSON text of the body; null writes <c>{"detail":"fault injected by replica rule ID"}</c>.</param>
public sealed record AbortAction(int Status, string? Body = null, IReadOnlyList<KeyValuePair<string, string>>? Headers = null) : HttpFaultAction
{
    public override string Kind => "abort";

    internal override async ValueTask<FaultOutcome> ApplyAsync(HttpFaultContext context)
    {
        context.Detail = Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WriteResponseAsync(context.Http.Response, Status, Body ?? DefaultBody(context.Rule.Id), Headers, context.Http.RequestAborted);
        return FaultOutcome.Ended;
    }

    internal static string DefaultBody(string ruleId)
        => JsonSerializer.Serialize(new { detail = $"fault injected by replica rule {ruleId}" });

    internal static async Task WriteResponseAsync(
        Microsoft.AspNetCore.Http.HttpResponse response, int status, string jsonBody,
        IReadOnlyList<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        foreach (var (name, value) in headers ?? [])
        {
            response.Headers[name] = value;
        }
        var bytes = Encoding.UTF8.GetBytes(jsonBody);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
    }

    public bool Equals(AbortAction? other)
        => other is not null && other.Status == Status && other.Body == Body
           && (other.Headers ?? []).SequenceEqual(Headers ?? []);

    public override int GetHashCode() => HashCode.Combine(Status, Body);
}
