using System.Diagnostics;
using System.Text;
using Replica.Environments.Errors;

namespace Replica.Environments.Processes;

/// <summary>Runs a short command to completion (initdb, cp, dotnet build), optionally as another user, and returns its output.</summary>
public static class ExternalCommand
{
    public static async Task<string> RunAsync(
        IReadOnlyList<string> command,
        string? runAsUser = null,
        string? standardInput = null,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var argv = new List<string>();
        if (runAsUser is not null)
        {
            argv.AddRange([BinaryPath.Find("setpriv") ?? "setpriv", $"--reuid={runAsUser}", $"--regid={runAsUser}", "--init-groups", "--"]);
        }
        argv.AddRange(command);
        var info = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? System.Environment.CurrentDirectory,
        };
        foreach (var a in argv.Skip(1))
        {
            info.ArgumentList.Add(a);
        }
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }
        }
        Process? started;
        try
        {
            started = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // Not installed, or not executable: named, not a stack trace.
            throw new ReplicaException($"cannot run {argv[0]}: {e.Message}", ReplicaErrorKind.MissingPrerequisite,
                hint: $"install {Path.GetFileName(argv[0])} or put it on PATH", inner: e);
        }
        using var process = started ?? throw new ReplicaException($"could not start {argv[0]}");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Gone before the caller goes on (it may remove the directory the command was writing to).
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }
        string text;
        lock (output)
        {
            text = output.ToString();
        }
        if (process.ExitCode != 0)
        {
            var tail = string.Join(System.Environment.NewLine, text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).TakeLast(12));
            throw new ReplicaException($"{string.Join(' ', command.Take(3))} failed with exit code {process.ExitCode}:{System.Environment.NewLine}{tail}");
        }
        return text;
    }
}
