using System.Text;
using System.Text.Json;
using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Answers with <see cref="Status"/>, a JSON body and headers instead of forwarding (e.g. 503 + Retry-After).</summary>
/// <param name="Body">JSON text of the body; null writes <c>{"detail":"fault injected by replica rule ID"}</c>.</param>
public sealed record AbortAction(int Status, string? Body = null, IReadOnlyList<KeyValuePair<string, string>>? Headers = null) : HttpFaultAction
{
    public override string Kind => "abort";

    internal override IEnumerable<RuleError> Validate()
    {
        var errors = ValidateStatus(Status).ToList();
        if (Body is not null && !IsJson(Body))
        {
            errors.Add(new RuleError("body", "must be JSON text (it is sent as an application/json body)"));
        }
        foreach (var (name, value) in Headers ?? [])
        {
            if (name.Length == 0 || !name.All(IsTokenChar))
            {
                errors.Add(new RuleError($"headers.{name}", "is not a valid header name: use letters, digits and !#$%&'*+-.^_`|~"));
            }
            else if (!value.All(c => c == '\t' || c is >= ' ' and <= '~'))
            {
                errors.Add(new RuleError($"headers.{name}", "must be printable ASCII: no line breaks or control characters"));
            }
        }
        return errors;
    }

    internal static IEnumerable<RuleError> ValidateStatus(int status)
        => status is < 200 or > 599 ? [new RuleError("status", "must be between 200 and 599")] : [];

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

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public bool Equals(AbortAction? other)
        => other is not null && other.Status == Status && other.Body == Body
           && (other.Headers ?? []).SequenceEqual(Headers ?? []);

    public override int GetHashCode() => HashCode.Combine(Status, Body);
}
