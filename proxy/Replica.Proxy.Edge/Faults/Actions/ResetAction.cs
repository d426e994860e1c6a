namespace Replica.Proxy.Edge.Faults.Actions;

/// <summary>Drops the client's connection without any response; the client sees a connection error.</summary>
public sealed record ResetAction : HttpFaultAction
{
    public override string Kind => "reset";

    internal override ValueTask<FaultOutcome> ApplyAsync(HttpFaultContext context)
    {
        context.Http.Abort();
        return ValueTask.FromResult(FaultOutcome.Ended);
    }
}
