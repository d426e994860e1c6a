using Replica.Proxy.Edge.Faults.Actions;
using Replica.Proxy.Edge.Faults.Matching;
using Replica.Proxy.Edge.Faults.Parsing;
using Replica.Proxy.Tcp.Json;

namespace Replica.Proxy.Edge.Faults;

/// <summary>
/// One fault: which traffic it matches, how often it fires, when it is active and what it does. An immutable value;
/// the same value comes from C#, from the admin API's JSON (<see cref="Parsing.FaultRuleParser"/>) or from a scenario file.
/// </summary>
/// <param name="Id">Set by the caller, or assigned by <see cref="FaultRuleSet.Add"/> when null.</param>
/// <param name="Probability">Chance, 0..1, that a matching request (or frame, for frame actions) is faulted.</param>
public sealed record FaultRule(string? Id, RequestMatch Match, double Probability, FaultWindow Window, FaultAction Action)
{
    public static FaultRule Create(FaultAction action, RequestMatch? match = null, double probability = 1, FaultWindow? window = null, string? id = null)
        => new(id, match ?? RequestMatch.Any, probability, window ?? FaultWindow.Always, action);

    /// <summary>
    /// What is wrong with the rule, each error with its field as in the rule JSON (e.g. <c>action.abort.headers.X</c>);
    /// empty when the rule can be installed. The parser and <see cref="FaultRuleSet.AddRange"/> both check this, so a
    /// rule built in C# meets the same bounds as one sent as JSON.
    /// </summary>
    public IReadOnlyList<RuleError> Validate()
    {
        var errors = new List<RuleError>();
        if (Id is not null && !IsValidId(Id))
        {
            errors.Add(new RuleError("id", IdRule));
        }
        if (double.IsNaN(Probability) || Probability is < 0 or > 1)
        {
            errors.Add(new RuleError("probability", "must be between 0 and 1"));
        }
        if (Window.StartAfter < TimeSpan.Zero || Window.StartAfter > FaultLimits.MaxTime)
        {
            errors.Add(new RuleError("window.afterMs", FaultLimits.TimeRange));
        }
        if (Window.Duration is { } d && (d < TimeSpan.Zero || d > FaultLimits.MaxTime))
        {
            errors.Add(new RuleError("window.forMs", FaultLimits.TimeRange));
        }
        if (Action is FrameFaultAction && Match.WebSocket == false)
        {
            errors.Add(new RuleError("match.websocket", $"is false, but action '{Action.Kind}' acts on WebSocket frames only"));
        }
        errors.AddRange(Action.Validate().Select(e => e with { Field = $"action.{Action.Kind}.{e.Field}" }));
        if (errors.Count == 0 && Unwritable() is { } field)
        {
            errors.Add(new RuleError(field, "is not Unicode text (it holds a lone UTF-16 surrogate), so the rule could not be written back or listed"));
        }
        return errors;
    }

    /// <summary>The field whose string the rule's JSON form (what <c>GET /rules</c> lists) could not carry as it is, if any.</summary>
    private string? Unwritable()
    {
        try
        {
            return JsonTextCheck.FindUnwritable(FaultRuleWriter.Write(this));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
        {
            return "";
        }
    }

    internal const string IdRule = "must be 1 to 100 characters of letters, digits, '-', '_' or '.', other than '.' and '..'";

    // '.' and '..' are dot segments: a URL path cannot address them (DELETE /rules/. is DELETE /rules), so a rule with
    // such an id could be added but never removed alone.
    internal static bool IsValidId(string id)
        => id.Length is > 0 and <= 100 && id is not ("." or "..") && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
