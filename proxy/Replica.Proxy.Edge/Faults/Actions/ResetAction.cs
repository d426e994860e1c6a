namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Drops the client's connection without any response; the client sees a connection error.</summary>
public sealed record ResetAction : HttpFaultAction
{
    public static FaultActionKind<ResetAction> Definition { get; } = new("reset", [], _ => new ResetAction(), _ => [])
    {
        Examples = ["{}"],
        Effect = "drops the client connection without a response (a connection error for the client)",
    };

    public override FaultActionKind Descriptor => Definition;

    internal override ValueTask<FaultOutcome> ApplyAsync(HttpFaultContext context)
    {
        context.Injecting();
        context.Http.Abort();
        return ValueTask.FromResult(FaultOutcome.Ended);
    }
}
