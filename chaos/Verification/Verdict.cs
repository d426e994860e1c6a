namespace Replica.Chaos.Verification;

public enum Verdict
{
    /// <summary>The staging symptom appeared in a clear majority of runs (95 % interval lower bound ≥ 50 %).</summary>
    Reproduced,
    /// <summary>The symptom never appeared.</summary>
    NotReproduced,
    /// <summary>Every run passed; the report states the 95 % upper bound of the failure rate.</summary>
    Fixed,
    /// <summary>At least one run failed.</summary>
    NotFixed,
    /// <summary>Neither: the symptom came and went, or runs could not be carried out.</summary>
    Inconclusive,
}
