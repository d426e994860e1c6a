namespace Replica.Environments.Processes;

/// <summary>Looks up local accounts in /etc/passwd.</summary>
public static class UserAccount
{
    public static bool Exists(string name) =>
        File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(l => l.StartsWith(name + ":", StringComparison.Ordinal));
}
