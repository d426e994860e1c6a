using System.CommandLine;
using Replica.Cli;

var root = new RootCommand("Replica: staging on one machine, with fault-injecting proxies in front of every connection.");
root.Options.Add(GlobalOptions.File);
root.Options.Add(GlobalOptions.Name);
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

return await CliHost.RunAsync(root, args);
