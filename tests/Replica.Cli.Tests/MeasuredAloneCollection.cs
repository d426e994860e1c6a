namespace Replica.Cli.Tests;

/// <summary>
/// Tests that measure a race's timing (a sweep's boundary) run with nothing else of this assembly beside them: two
/// `replica` environments side by side on two cores move the boundary they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAloneCollection
{
    public const string Name = "Measured alone";
}
