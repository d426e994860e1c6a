using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Replica.Proxy.Edge.Faults.Parsing;

namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Answers with <see cref="Status"/>, a JSON body and headers instead of forwarding (e.g. 503 + Retry-After).</summary>
/// <param name="Body">JSON text of the body; null writes <c>{"detail":"fault injected by replica rule ID"}</c>.</param>
public sealed record AbortAction(int Status, string? Body = null, IReadOnlyList<KeyValuePair<string, string>>? Headers = null) : HttpFaultAction
{
    public const int MinStatus = 200;
    public const int MaxStatus = 599;

    public static FaultActionKind<AbortAction> Definition { get; } = new(
        "abort",
        [
            new("status", $"whole number {MinStatus}–{MaxStatus}", "the status answered") { Required = true },
            new("body", "any JSON value", "the JSON body answered") { Default = "`{\"detail\":\"fault injected by replica rule ID\"}`" },
            new("headers", "object of header names to strings", "headers answered; names are HTTP tokens, values printable ASCII"),
        ],
        Read,
        Write)
    {
        Examples = ["""{"status":503,"body":{"detail":"maintenance"},"headers":{"Retry-After":"5"}}""", """{"status":403}"""],
        Effect = "answers with the status, body and headers instead of forwarding; the upstream never sees the request",
    };

    public override FaultActionKind Descriptor => Definition;

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
        => status is < MinStatus or > MaxStatus ? [new RuleError("status", $"must be between {MinStatus} and {MaxStatus}")] : [];

    internal override async ValueTask<FaultOutcome> ApplyAsync(HttpFaultContext context)
    {
        context.Detail = Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Injecting();
        await WriteResponseAsync(context.Http.Response, Status, Body ?? DefaultBody(context.Rule.Id), Headers, context.Http.RequestAborted);
        return FaultOutcome.Ended;
    }

    internal static string DefaultBody(string ruleId)
        => new JsonObject { ["detail"] = $"fault injected by replica rule {ruleId}" }.ToJsonString();

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

    private static AbortAction? Read(JsonObjectReader a)
    {
        var status = a.Integer("status", MinStatus, MaxStatus, required: true);
        var body = a.Raw("body") is { } b ? b.GetRawText() : null;
        List<KeyValuePair<string, string>>? headers = null;
        if (a.Object("headers") is { } h)
        {
            headers = [];
            foreach (var property in h.Properties())
            {
                if (h.String(property.Name, required: true) is { } value)
                {
                    headers.Add(new(property.Name, value));
                }
            }
        }
        return status is { } s ? new AbortAction(s, body, headers) : null;
    }

    private static JsonObject Write(AbortAction a)
    {
        var json = new JsonObject { ["status"] = a.Status };
        if (a.Body is not null)
        {
            json["body"] = JsonNode.Parse(a.Body);
        }
        if (a.Headers is { Count: > 0 })
        {
            json["headers"] = new JsonObject(a.Headers.Select(h => new KeyValuePair<string, JsonNode?>(h.Key, h.Value)));
        }
        return json;
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
