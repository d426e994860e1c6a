using Replica.Tests.Support;

namespace Replica.Cli.Tests.Sharding;

/// <summary>
/// The two shards of one R2 verify (`--runs 3 --seed 77 --shard 1/2` and `2/2`, two copies each), run once as two
/// separate processes at the same time, as two CI machines would run them; each names its copies after itself
/// ("shard-a", "shard-b"). The tests of a class read their JSON reports and merge them as they need: four environments
/// started once for the class instead of once per test.
/// </summary>
public sealed class TwoShardReports : IAsyncLifetime
{
    private readonly IsolatedStateStore _state = new();
    private readonly ScratchDirectory _out = new("replica-shards-");

    public TwoShardReports() => Cli = new CliRunner(_state.Root);

    public CliRunner Cli { get; }

    /// <summary>Shard 1/2's JSON report (its standard output).</summary>
    public string First => Path.Combine(_out.Path, "r2.1.json");

    /// <summary>Shard 2/2's JSON report.</summary>
    public string Second => Path.Combine(_out.Path, "r2.2.json");

    /// <summary>How the two `replica verify --shard` processes ended (1/2, then 2/2).</summary>
    public IReadOnlyList<CliResult> Shards { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Shards = await Task.WhenAll(RunShardAsync("1/2", First, "shard-a"), RunShardAsync("2/2", Second, "shard-b"));
    }

    public async Task DisposeAsync()
    {
        Cli.Dispose();
        await _state.DisposeAsync();
        _out.Dispose();
    }

    private async Task<CliResult> RunShardAsync(string shard, string jsonFile, string name)
    {
        var result = await Cli.RunAsync(
            ["verify", "r2", "--runs", "3", "--variants", "baseline,seed-fix,fixed", "--seed", "77", "--shard", shard, "--parallel", "2", "--name", name, "--json"],
            TimeSpan.FromMinutes(5));
        await File.WriteAllTextAsync(jsonFile, result.StandardOutput);
        return result;
    }
}
