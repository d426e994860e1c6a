using Replica.Bench;
using Replica.Environments.Errors;

var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name)
    .ToList();

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: dotnet run --project bench -c Release -- NAME [args]   (results go to bench/RESULTS.md by hand)");
    foreach (var b in benchmarks)
    {
        Console.WriteLine($"  {b.Name,-24} {b.Description}");
    }
    return args.Length == 0 ? 2 : 0;
}

var chosen = benchmarks.FirstOrDefault(b => b.Name == args[0]);
if (chosen is null)
{
    Console.Error.WriteLine($"bench: unknown benchmark '{args[0]}'; run with --help for the list");
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
try
{
    return await chosen.RunAsync(args[1..], Console.Out, cts.Token);
}
catch (ReplicaException e)
{
    Console.Error.WriteLine($"bench: {chosen.Name}: {e.Message}");
    if (e.Hint is { } hint)
    {
        Console.Error.WriteLine($"  hint: {hint}");
    }
    // The bench's own exit codes: 2 when its arguments are wrong, 1 otherwise.
    return e.Kind == ReplicaErrorKind.BadInput ? 2 : 1;
}
