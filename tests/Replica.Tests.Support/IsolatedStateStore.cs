using Replica.Environments.State;

namespace Replica.Tests.Support;

/// <summary>
/// A state directory of the test's own, so parallel tests never see each other's environments. Disposing it reaps
/// whatever an environment recorded there — also when the test failed halfway — and removes the directory.
/// </summary>
public sealed class IsolatedStateStore : IAsyncDisposable
{
    private readonly ScratchDirectory _directory = new("replica-state-");

    public IsolatedStateStore()
    {
        Store = new StateStore(_directory.Path);
    }

    public StateStore Store { get; }

    public string Root => Store.Root;

    public async ValueTask DisposeAsync()
    {
        await new OrphanReaper(Store).ReapAllAsync(CancellationToken.None);
        _directory.Dispose();
    }
}
