namespace Replica.Environments.Docker;

/// <summary>Where images come from.</summary>
public enum ImagePolicy
{
    /// <summary>Official images from a registry (redis:7, postgres:15, .NET runtime-deps), pulled when missing.</summary>
    Official,

    /// <summary>Everything built locally on a base image made with debootstrap; no registry needed.</summary>
    Offline,
}
