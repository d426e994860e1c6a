using System.Text.RegularExpressions;
using Replica.Environments.Errors;
using Replica.Proxy.Edge.Client;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// Every kind of error a library reports becomes the exit code README.md documents for it, and the README's table
/// lists every kind: a kind added without a code, or a code changed without the docs, fails here.
/// </summary>
public sealed partial class ErrorKindExitCodesTests
{
    [Theory]
    [InlineData(ReplicaErrorKind.Failure, 1)]
    [InlineData(ReplicaErrorKind.BadInput, 2)]
    [InlineData(ReplicaErrorKind.MissingPrerequisite, 3)]
    [InlineData(ReplicaErrorKind.Interrupted, 130)]
    public void An_error_of_each_kind_exits_with_its_code_and_keeps_its_message_and_hint(ReplicaErrorKind kind, int exitCode)
    {
        var known = ExitCodes.For(new ReplicaException("what went wrong", kind, hint: "how to fix it"));

        Assert.Equal<(int, string, string?)?>((exitCode, "what went wrong", "how to fix it"), known);
    }

    [Fact]
    public void The_readme_table_gives_every_error_kind_the_code_the_cli_exits_with()
    {
        var rows = ReadmeRows();

        Assert.Equal(ExitCodes.Success, Assert.Single(rows, r => r.Kind == "").Code);
        foreach (var kind in Enum.GetValues<ReplicaErrorKind>())
        {
            var row = Assert.Single(rows, r => r.Kind == kind.ToString());
            Assert.Equal(ExitCodes.For(kind), row.Code);
        }
        Assert.Equal(Enum.GetValues<ReplicaErrorKind>().Length + 1, rows.Count);
    }

    [Fact]
    public void A_cancelled_command_is_interrupted()
    {
        Assert.Equal<(int, string, string?)?>((ExitCodes.Interrupted, "interrupted", null), ExitCodes.For(new OperationCanceledException()));
    }

    [Fact]
    public void The_edge_proxy_admin_api_refusing_a_rule_is_bad_input_and_not_answering_is_a_failure_with_a_hint()
    {
        Assert.Equal(ExitCodes.BadInput, ExitCodes.For(new EdgeProxyAdminException("invalid rule", 400))?.ExitCode);
        Assert.Equal(ExitCodes.BadInput, ExitCodes.For(new EdgeProxyAdminException("duplicate id", 409))?.ExitCode);
        var unreachable = ExitCodes.For(new EdgeProxyAdminException("connection refused"));
        Assert.Equal(ExitCodes.Failure, unreachable?.ExitCode);
        Assert.NotNull(unreachable?.Hint);
    }

    private static List<(int Code, string Kind)> ReadmeRows() =>
        File.ReadLines(Path.Combine(RepositoryPaths.Root, "README.md"))
            .Select(line => TableRow().Match(line))
            .Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["kind"].Value))
            .ToList();

    /// <summary>A row of the exit-code table: | 2 | `BadInput` | meaning |, or | 0 | | success |.</summary>
    [GeneratedRegex(@"^\| (?<code>\d+) \| (`(?<kind>\w+)`)? *\|")]
    private static partial Regex TableRow();
}
