using System.CommandLine;

namespace Replica.Cli;

/// <summary>Options every environment command shares (recursive on the root command), like docker compose's -f and -p.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string> File = new("--file", "-f")
    {
        Description = "The compose file describing the environment",
        DefaultValueFactory = _ => "compose.yaml",
        Recursive = true,
    };

    public static readonly Option<string?> Name = new("--name", "-p")
    {
        Description = "Environment name (default: the compose project name)",
        Recursive = true,
    };
}
