namespace Replica.Chaos.Scenarios;

/// <summary>
/// The staging incident a scenario reproduces, told by the scenario itself: a title, where it is written up (a docs
/// section, an issue), a summary, and the story — what staging saw, the fix staging tried, why that fix failed, and
/// the real fix. Every field but the title is optional.
/// </summary>
/// <param name="Seen">What staging saw (the symptom as its clients and logs showed it).</param>
/// <param name="Tried">The fix staging tried (or would have tried), which a <c>seed-fix</c> variant usually replays.</param>
/// <param name="WhyItFailed">Why the tried fix could not work.</param>
/// <param name="Fix">The real fix, which a <c>fixed</c> variant runs.</param>
public sealed record ScenarioIncident(string Title, string? Link, string? Summary)
{
    public string? Seen { get; init; }

    public string? Tried { get; init; }

    public string? WhyItFailed { get; init; }

    public string? Fix { get; init; }
}
