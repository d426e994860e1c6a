using Replica.Proxy.Faults.Actions;
using Replica.Proxy.Faults.Matching;

namespace Replica.Proxy.Faults;

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
}
