using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

/// <summary>What the fuzz tier found in the compose loader, kept as ordinary (fast tier) regression tests.</summary>
public sealed class FuzzFindingsTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("replica-fuzz-finding-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_compose_file_whose_merge_key_takes_a_mapping_of_services_loads_or_is_refused_quickly()
    {
        // The shipped compose.yaml with two lines swapped: the secrets anchor now holds services, merged into a
        // service's environment. YamlDotNet's MergingParser never returned on it.
        var lines = File.ReadAllLines(RepositoryPaths.ComposeFile);
        var services = Array.IndexOf(lines, "services:");
        var backend = Array.IndexOf(lines, "  backend:");
        (lines[services], lines[backend]) = (lines[backend], lines[services]);
        var file = _scratch.Write("compose.yaml", string.Join('\n', lines));

        var load = Task.Run(() =>
        {
            try
            {
                ComposeLoader.Load(file);
                return (ReplicaErrorKind?)null;
            }
            catch (ReplicaException e)
            {
                return e.Kind;
            }
        });

        Assert.Equal(ReplicaErrorKind.BadInput, await load.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("a: 1\n<<: *nowhere\n", "YAML syntax error")]
    [InlineData("x: &x 1\n<<: *x\n", "<<: a merge key takes an alias of a mapping")]
    public void Merge_keys_that_cannot_apply_are_a_configuration_error(string yaml, string message)
    {
        var file = _scratch.Write("compose.yaml", yaml);

        var error = Assert.Throws<ConfigurationException>(() => ComposeLoader.Load(file));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Merge_keys_still_merge()
    {
        var file = _scratch.Write("compose.yaml", "x-env: &env\n  A: a\n  B: b\nservices:\n  one:\n    image: redis:7\n    environment:\n      <<: *env\n      B: own\n");

        var topology = ComposeLoader.Load(file);

        Assert.Equal("a", topology["one"].Environment["A"]);
        Assert.Equal("own", topology["one"].Environment["B"]);
    }
}
