namespace Replica.Proxy.Edge.Faults;

/// <summary>A rule in a listing: the rule, when it was added and how many times it has injected its fault.</summary>
public sealed record FaultRuleStatus(FaultRule Rule, DateTimeOffset AddedAt, long Injected);
