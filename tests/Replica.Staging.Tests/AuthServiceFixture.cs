using Replica.Environments.Hosting;
using Replica.Tests.Support;

namespace Replica.Staging.Tests;

/// <summary>Only the auth service of the reference topology, running (the rest is left out of the start).</summary>
public sealed class AuthServiceFixture : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();

    public RunningEnvironment Environment { get; private set; } = null!;

    public string BaseUrl => $"http://{Environment["auth"].Endpoint}";

    public async Task InitializeAsync() => Environment = await StartAsync(_state, "staging-auth");

    public async Task DisposeAsync()
    {
        if (Environment is not null)
        {
            await Environment.DisposeAsync();
        }
        await _state.DisposeAsync();
    }

    public static Task<RunningEnvironment> StartAsync(IsolatedStateStore state, string name, params (string Key, string Value)[] settings)
    {
        var builder = StagingTopology.Builder(name, state.Root).WithDeferredStart("redis").WithDeferredStart("postgres").WithDeferredStart("backend");
        foreach (var (key, value) in settings)
        {
            builder = builder.WithSetting("auth", key, value);
        }
        return builder.Build().StartAsync();
    }
}
