using DotNet.Testcontainers.Configurations;

namespace Replica.Environments.Runtimes.Docker;

/// <summary>
/// Where Testcontainers writes a container's output: the service's log file, stdout and stderr alike, unbuffered so
/// that `replica logs` and the readiness messages see each line as it comes. Testcontainers attaches before every
/// start, so each run's output is written once. One writer at a time: Testcontainers copies the attached stream in a
/// single loop.
/// </summary>
public sealed class LogFileOutput(string path) : IOutputConsumer
{
    private readonly FileStream _file = new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);

    public bool Enabled => true;

    public Stream Stdout => _file;

    public Stream Stderr => _file;

    public void Dispose() => _file.Dispose();
}
