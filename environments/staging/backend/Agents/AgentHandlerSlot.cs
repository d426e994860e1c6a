namespace Replica.Staging.Backend.Agents;

/// <summary>The start_agent handler currently installed; swapped atomically (the fixed R3 path replaces the fallback).</summary>
public sealed class AgentHandlerSlot
{
    private readonly TaskCompletionSource<IAgentHandler> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IAgentHandler? _current;

    public IAgentHandler? Current => _current;

    public void Install(IAgentHandler handler)
    {
        _current = handler;
        _first.TrySetResult(handler);
    }

    /// <summary>The current handler, waiting for the first one if startup has not installed it yet.</summary>
    public async Task<IAgentHandler> GetAsync(CancellationToken cancellationToken) => _current ?? await _first.Task.WaitAsync(cancellationToken);
}
