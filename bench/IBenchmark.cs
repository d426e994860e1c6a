namespace Replica.Bench;

/// <summary>One benchmark: `dotnet run --project bench -c Release -- NAME [args]` runs it and prints its figures.</summary>
public interface IBenchmark
{
    /// <summary>Short kebab-case name used on the command line, e.g. "tcp-proxy".</summary>
    string Name { get; }

    string Description { get; }

    Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken);
}
