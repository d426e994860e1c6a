namespace Replica.Chaos.Scenarios;

public enum SymptomKind
{
    WebSocketClose,
    HttpStatus,
    SilenceAfter,
}
