using Replica.Environments.Compose;
using Replica.Environments.Runtimes;
using Replica.Environments.State;

namespace Replica.Environments.Hosting;

/// <summary>
/// Everything needed to bring an environment up, immutable (built by <see cref="EnvironmentBuilder"/>).
/// The same definition can be started many times, one at a time per name.
/// </summary>
public sealed record EnvironmentDefinition(
    Topology Topology,
    string Name,
    StateStore Store,
    Func<RuntimeContext, IServiceRuntime> RuntimeFactory,
    string RuntimeName,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Settings,
    IReadOnlySet<string> Deferred,
    DependencyInterposer? Interposer,
    IReadOnlyList<Action<EnvironmentEvent>> Observers,
    bool Detached)
{
    public Task<RunningEnvironment> StartAsync(CancellationToken cancellationToken = default) =>
        RunningEnvironment.StartAsync(this, cancellationToken);
}
