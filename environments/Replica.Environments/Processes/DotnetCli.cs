namespace Replica.Environments.Processes;

/// <summary>
/// Runs the dotnet CLI (build, publish) to its end. The SDK leaves empty folders of its own in $TMPDIR on every build,
/// so each run gets a temporary directory of its own, removed after.
/// </summary>
public static class DotnetCli
{
    public static async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var temporary = Directory.CreateTempSubdirectory("replica-dotnet-").FullName;
        try
        {
            return await ExternalCommand.RunAsync(
                ["dotnet", .. arguments],
                cancellationToken: cancellationToken,
                environment: new Dictionary<string, string> { ["TMPDIR"] = temporary }).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(temporary, recursive: true);
            }
            catch (IOException)
            {
                // Something dotnet started still writes there; the command's own outcome matters more.
            }
        }
    }
}
