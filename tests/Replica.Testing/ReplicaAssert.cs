using Replica.Chaos.Probes;
using Replica.Chaos.Verification;
using Xunit.Sdk;

namespace Replica.Testing;

/// <summary>Assertions about what probes saw and what verification found; failures say what was seen instead.</summary>
public static class ReplicaAssert
{
    /// <summary>The probe received frames of these types in this order (other frames may come between).</summary>
    public static void SawInOrder(ProbeObservation observation, params string[] types)
    {
        var received = observation.Frames.Where(f => f.Direction == "in").Select(f => f.Type).ToList();
        var next = 0;
        foreach (var type in received)
        {
            if (next < types.Length && type == types[next])
            {
                next++;
            }
        }
        if (next < types.Length)
        {
            throw new XunitException($"expected {string.Join(", ", types)} in this order; missing {types[next]}; received: [{string.Join(", ", received)}]{Why(observation)}");
        }
    }

    public static void Passed(ProbeObservation observation)
    {
        if (!observation.Passed)
        {
            throw new XunitException($"probe {observation.Probe} failed: {observation.Failure}{Why(observation)}");
        }
    }

    /// <summary>The WebSocket was closed by the server with <paramref name="code"/> (and a reason containing <paramref name="reason"/>).</summary>
    public static void ClosedWith(ProbeObservation observation, int code, string? reason = null)
    {
        if (observation.Failure is not { Kind: FailureKind.WebSocketClosed } failure || failure.Code != code
            || (reason is not null && !(failure.Message ?? "").Contains(reason, StringComparison.Ordinal)))
        {
            throw new XunitException($"expected close {code}{(reason is null ? "" : $" \"{reason}…\"")}, but the probe {(observation.Passed ? "passed" : "failed with " + observation.Failure)}");
        }
    }

    public static void Reproduced(VariantSummary summary) => Verdict(summary, Chaos.Verification.Verdict.Reproduced);

    public static void Fixed(VariantSummary summary) => Verdict(summary, Chaos.Verification.Verdict.Fixed);

    /// <summary>Every variant did what the scenario expects (what `replica verify` exits 0 for).</summary>
    public static void ExpectationsHeld(VerificationReport report)
    {
        var wrong = report.Variants.Where(v => !v.ExpectationHeld).ToList();
        if (wrong.Count > 0)
        {
            throw new XunitException($"{report.Scenario}: {string.Join("; ", wrong.Select(v => $"{v.Variant} expected {v.Expectation.ToString().ToLowerInvariant()}, {v.Describe()}"))}");
        }
    }

    private static void Verdict(VariantSummary summary, Verdict expected)
    {
        if (summary.Verdict != expected)
        {
            throw new XunitException($"{summary.Variant}: expected {expected}, {summary.Describe()}");
        }
    }

    private static string Why(ProbeObservation observation) => observation.Detail is null ? "" : $" ({observation.Detail})";
}
