using Replica.Chaos.Probes;

namespace Replica.Chaos.Scenarios;

/// <summary>
/// What the staging failure looked like to a client, so a failed run can be told apart: the symptom itself, or some
/// other failure (which does not count as reproducing the incident).
/// </summary>
public sealed record Symptom(SymptomKind Kind, int? Code, string? Text, IReadOnlyList<string>? Frames)
{
    public bool Matches(FailureMode failure) => Kind switch
    {
        SymptomKind.WebSocketClose => failure.Kind == FailureKind.WebSocketClosed && failure.Code == Code
                                      && (Text is null || (failure.Message ?? "").Contains(Text, StringComparison.Ordinal)),
        SymptomKind.HttpStatus => failure.Kind == FailureKind.HttpStatus && failure.Code == Code
                                  && (Text is null || (failure.Message ?? "").Contains(Text, StringComparison.Ordinal)),
        SymptomKind.SilenceAfter => failure.Kind == FailureKind.Timeout && (Frames is null || Frames.SequenceEqual(failure.AfterFrames ?? [])),
        _ => false,
    };

    public override string ToString() => Kind switch
    {
        SymptomKind.WebSocketClose => $"WebSocket closed {Code}{(Text is null ? "" : $" \"{Text}…\"")}",
        SymptomKind.HttpStatus => $"HTTP {Code}{(Text is null ? "" : $" \"{Text}…\"")}",
        _ => $"silence after [{string.Join(", ", Frames ?? [])}]",
    };
}
