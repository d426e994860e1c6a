using System.Text.Json;
using Replica.Tests.Support;

namespace Replica.Cli.Tests.Interactive;

/// <summary>
/// One `replica up --detach` environment (named "interactive") in a state directory of its own, shared by the tests of
/// a class; `replica down` and the state store's reaping on dispose leave nothing behind.
/// </summary>
public sealed class DetachedEnvironment : IAsyncLifetime
{
    public const string Name = "interactive";
    private readonly IsolatedStateStore _state = new();

    public DetachedEnvironment() => Cli = new CliRunner(_state.Root);

    public CliRunner Cli { get; }

    public Replica.Environments.State.StateStore Store => _state.Store;

    public string DashboardUrl => Store.Read(Name)!.Endpoints["dashboard"] + "/";

    public string EdgeUrl => Store.Read(Name)!.Endpoints["edge"];

    public string ControlToken => File.ReadAllText(Path.Combine(Store.DirectoryOf(Name), "control.token"));

    /// <summary>Runs `replica ARGS… -p interactive`.</summary>
    public Task<CliResult> RunAsync(params string[] args) => Cli.RunAsync([.. args, "-p", Name]);

    public async Task<JsonElement> StatusAsync()
    {
        var status = await RunAsync("status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        return JsonDocument.Parse(status.StandardOutput).RootElement.Clone();
    }

    public async Task InitializeAsync()
    {
        var up = await Cli.RunAsync(["up", "--detach", "--name", Name]);
        Assert.True(up.ExitCode == 0, up.ToString());
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Cli.RunAsync(["down", "--name", Name]);
        }
        finally
        {
            Cli.Dispose();
            await _state.DisposeAsync();
        }
    }
}
