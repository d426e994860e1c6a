namespace Replica.Cli.Tests.Soak;

/// <summary>When a soak fault was in place: from the moment it was applied until it was removed, plus a grace for its after-effects.</summary>
public sealed record SoakFaultWindow(string Fault, TimeSpan From, TimeSpan Until)
{
    public bool Overlaps(TimeSpan start, TimeSpan end) => start <= Until && end >= From;
}
