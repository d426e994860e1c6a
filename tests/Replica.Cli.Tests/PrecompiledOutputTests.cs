using System.Reflection.PortableExecutable;
using Replica.Tests.Support;

namespace Replica.Cli.Tests;

/// <summary>
/// The processes Replica starts over and over (the CLI, its daemon, the two staging services) run precompiled code
/// (ReadyToRun, Directory.Build.targets): their own assemblies and the libraries beside them. Without it every start
/// compiles the same methods again, which is a third of what `replica status` costs.
/// </summary>
public sealed class PrecompiledOutputTests
{
    public static TheoryData<string, string> Assemblies => new()
    {
        { "Replica.Cli", "replica.dll" },
        { "Replica.Cli", "Replica.Chaos.dll" },
        { "Replica.Cli", "Yarp.ReverseProxy.dll" },
        { "Replica.Staging.Auth", "Replica.Staging.Auth.dll" },
        { "Replica.Staging.Backend", "Replica.Staging.Backend.dll" },
        { "Replica.Staging.Backend", "Npgsql.dll" },
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void The_assemblies_of_started_processes_carry_native_code(string project, string assembly)
    {
        var path = Path.Combine(RepositoryPaths.Root, "artifacts", "bin", project, new DirectoryInfo(AppContext.BaseDirectory).Name, assembly);
        Assert.True(File.Exists(path), $"{path} not built");
        using var reader = new PEReader(File.OpenRead(path));
        var header = reader.PEHeaders.CorHeader;
        Assert.NotNull(header);
        Assert.True(header.ManagedNativeHeaderDirectory.Size > 0, $"{path} holds IL only: the build did not precompile it (see the build's 'not precompiled' line)");
    }
}
