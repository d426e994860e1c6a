namespace Replica.Environments.Errors;

/// <summary>
/// A configuration file (compose.yaml, a scenario) is wrong. Carries every problem found, each with
/// file:line:column. Bad input: nothing was started.
/// </summary>
public sealed class ConfigurationException : ReplicaException
{
    public ConfigurationException(IReadOnlyList<ConfigurationProblem> problems)
        : base(Describe(problems), ReplicaErrorKind.BadInput)
    {
        Problems = problems;
    }

    public IReadOnlyList<ConfigurationProblem> Problems { get; }

    private static string Describe(IReadOnlyList<ConfigurationProblem> problems) =>
        problems.Count == 1
            ? problems[0].ToString()
            : $"{problems.Count} problems:{System.Environment.NewLine}  " +
              string.Join(System.Environment.NewLine + "  ", problems);
}
