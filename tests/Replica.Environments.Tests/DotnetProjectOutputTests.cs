using System.Runtime.InteropServices;
using Replica.Environments.Hosting;
using Replica.Environments.Runtimes.Process;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

/// <summary>
/// Which build of a .NET service (x-replica.dotnet) the process runtime runs: the native executable a Release build
/// publishes (Native AOT) while it is current, the assembly otherwise.
/// </summary>
public sealed class DotnetProjectOutputTests
{
    private static readonly string Rid = RuntimeInformation.RuntimeIdentifier;

    /// <summary>A project in the artifacts layout: its assembly, and its native executable when <paramref name="native"/> is given.</summary>
    private static (string Project, string Assembly, string Native) Layout(ScratchDirectory dir, DateTime assemblyTime, DateTime? native)
    {
        var project = dir.Write("svc/Svc.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />");
        var assembly = dir.Write("artifacts/bin/Svc/release/Svc.dll", "assembly");
        File.SetLastWriteTimeUtc(assembly, assemblyTime);
        var executable = Path.Combine(dir.Path, "artifacts", "publish", "Svc", $"release_{Rid}", "Svc");
        if (native is { } time)
        {
            dir.Write($"artifacts/publish/Svc/release_{Rid}/Svc", "native");
            File.SetLastWriteTimeUtc(executable, time);
        }
        return (project, assembly, executable);
    }

    [Fact]
    public void A_native_executable_as_new_as_the_assembly_is_the_entry_point()
    {
        using var dir = new ScratchDirectory();
        var built = DateTime.UtcNow.AddMinutes(-5);
        var (project, _, native) = Layout(dir, built, built.AddSeconds(40));

        var entryPoint = DotnetProjectOutput.Find(project, "Release", assembliesOnly: false);

        Assert.Equal(native, entryPoint);
        Assert.False(DotnetProjectOutput.IsAssembly(entryPoint!));
    }

    [Fact]
    public void A_native_executable_older_than_the_assembly_is_stale_and_the_assembly_runs()
    {
        // The assembly was rebuilt and the native publish did not follow (no clang, or it failed): never run old code.
        using var dir = new ScratchDirectory();
        var built = DateTime.UtcNow.AddMinutes(-5);
        var (project, assembly, _) = Layout(dir, built, built.AddMinutes(-1));

        Assert.Equal(assembly, DotnetProjectOutput.Find(project, "Release", assembliesOnly: false));
    }

    [Fact]
    public void Without_a_native_executable_or_when_told_to_the_assembly_runs_with_dotnet()
    {
        using var dir = new ScratchDirectory();
        var built = DateTime.UtcNow.AddMinutes(-5);
        var (project, assembly, _) = Layout(dir, built, native: null);
        Assert.Equal(assembly, DotnetProjectOutput.Find(project, "Release", assembliesOnly: false));
        Assert.True(DotnetProjectOutput.IsAssembly(assembly));

        dir.Write($"artifacts/publish/Svc/release_{Rid}/Svc", "native");
        Assert.NotEqual(assembly, DotnetProjectOutput.Find(project, "Release", assembliesOnly: false));
        Assert.Equal(assembly, DotnetProjectOutput.Find(project, "Release", assembliesOnly: true));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("off", false)]
    [InlineData("", false)]
    public void The_assemblies_only_variable_is_a_switch(string text, bool expected) =>
        Assert.Equal(expected, EnvironmentSwitch.Read(DotnetProjectOutput.AssembliesOnlyVariable, text));

    [Fact]
    public void The_release_build_of_this_repository_gives_both_staging_services_a_current_native_executable()
    {
        // What `./replica` builds on a machine with clang (Debian's clang-14 counts): the process runtime then starts
        // the services without the JIT. A Debug build publishes nothing native and runs the assemblies.
        if (BuildConfiguration.Current != "Release")
        {
            return;
        }
        foreach (var project in new[] { RepositoryPaths.StagingBackendProject, RepositoryPaths.StagingAuthProject })
        {
            var entryPoint = DotnetProjectOutput.Find(project, "Release", assembliesOnly: false);
            Assert.NotNull(entryPoint);
            Assert.False(DotnetProjectOutput.IsAssembly(entryPoint!), $"{project}: runs {entryPoint}, not a native executable");
            Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(entryPoint!)[..4]);
        }
    }
}
