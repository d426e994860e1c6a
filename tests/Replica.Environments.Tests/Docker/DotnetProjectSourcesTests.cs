using Replica.Environments.Docker;
using Replica.Tests.Support;

namespace Replica.Environments.Tests.Docker;

/// <summary>
/// The source hash decides whether a service image is current without publishing: it must change with every input
/// of a publish and with nothing else. Plain files; no engine.
/// </summary>
public sealed class DotnetProjectSourcesTests : IDisposable
{
    private readonly ScratchDirectory _root = new("replica-sources-");

    public void Dispose() => _root.Dispose();

    private string Checkout(string name)
    {
        _root.Write($"{name}/Directory.Packages.props", "<Project />");
        _root.Write($"{name}/src/app/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><ItemGroup><ProjectReference Include=\"..\\lib\\Lib.csproj\" /><Compile Include=\"../common/**/*.cs\" /></ItemGroup></Project>");
        _root.Write($"{name}/src/common/Claims.cs", "class Claims {}");
        _root.Write($"{name}/src/app/Program.cs", "Console.WriteLine(1);");
        _root.Write($"{name}/src/lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        _root.Write($"{name}/src/lib/Greeting.cs", "class Greeting {}");
        return Path.Combine(_root.Path, name, "src", "app", "App.csproj");
    }

    [Fact]
    public void Two_checkouts_of_the_same_sources_hash_the_same_and_build_output_does_not_count()
    {
        var first = Checkout("one");
        var second = Checkout("two");
        _root.Write("two/src/app/bin/Release/App.dll", "binary");
        _root.Write("two/src/lib/obj/project.assets.json", "{}");

        Assert.Equal(DotnetProjectSources.ComputeHash(first), DotnetProjectSources.ComputeHash(second));
    }

    [Theory]
    [InlineData("one/src/app/Program.cs", "Console.WriteLine(2);")]
    [InlineData("one/src/app/appsettings.json", "{}")]
    [InlineData("one/src/lib/Greeting.cs", "class Greeting { }")]
    [InlineData("one/src/common/Claims.cs", "class Claims { }")]
    [InlineData("one/src/common/Tokens/Secret.cs", "class Secret {}")]
    [InlineData("one/Directory.Packages.props", "<Project><ItemGroup /></Project>")]
    [InlineData("one/src/Directory.Build.props", "<Project />")]
    public void A_changed_or_added_input_changes_the_hash(string file, string content)
    {
        var project = Checkout("one");
        var before = DotnetProjectSources.ComputeHash(project);

        _root.Write(file, content);

        Assert.NotEqual(before, DotnetProjectSources.ComputeHash(project));
    }

    [Fact]
    public void A_reference_through_an_msbuild_property_gives_no_hash_so_the_caller_publishes()
    {
        var project = _root.Write("app/App.csproj", "<Project><ItemGroup><ProjectReference Include=\"$(Shared)/Lib.csproj\" /></ItemGroup></Project>");

        Assert.Null(DotnetProjectSources.ComputeHash(project));
    }

    [Fact]
    public void An_include_from_outside_through_an_msbuild_property_gives_no_hash_so_the_caller_publishes()
    {
        var project = _root.Write("app/App.csproj", "<Project><ItemGroup><Compile Include=\"$(Shared)/**/*.cs\" /></ItemGroup></Project>");

        Assert.Null(DotnetProjectSources.ComputeHash(project));
    }
}
