using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Environments.Docker;

/// <summary>Where images come from.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ImagePolicy>))]
public enum ImagePolicy
{
    /// <summary>Official images from a registry (redis:7, postgres:15, .NET runtime-deps), pulled when missing.</summary>
    Official,

    /// <summary>Everything built locally on a base image made with debootstrap; no registry needed.</summary>
    Offline,
}
