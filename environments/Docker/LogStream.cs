namespace Replica.Environments.Docker;

/// <summary>The stream byte of a multiplexed frame header.</summary>
public enum LogStream
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
}
