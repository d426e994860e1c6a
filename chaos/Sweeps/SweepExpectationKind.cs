using System.Text.Json.Serialization;
using Replica.Environments.Json;

namespace Replica.Chaos.Sweeps;

/// <summary>What a sweep may require of a variant's curve (<c>expect:</c> in a sweep, or an xUnit assertion).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<SweepExpectationKind>))]
public enum SweepExpectationKind
{
    /// <summary><c>boundary_at_least: 1.5s</c>: the boundary's estimate is at least the value (no failure majority anywhere in the range counts: the boundary lies beyond it).</summary>
    BoundaryAtLeast,

    /// <summary><c>boundary_at_most: 600ms</c>: a boundary is found and its estimate is at most the value.</summary>
    BoundaryAtMost,

    /// <summary><c>same_boundary_as: baseline</c>: both have a boundary and their intervals overlap (or neither has one, on the same side of 50 %).</summary>
    SameBoundaryAs,

    /// <summary><c>no_boundary: true</c>: the rate stays on one side of 50 % across the range.</summary>
    NoBoundary,

    /// <summary><c>max_failures: 0</c>: at no value more failures than this.</summary>
    MaxFailures,
}
