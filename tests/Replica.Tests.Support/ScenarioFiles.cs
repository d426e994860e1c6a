
namespace Replica.Tests.Support;

/// <summary>The shipped scenarios, and scratch scenarios written against the reference compose.yaml.</summary>
public static class ScenarioFiles
{
    public static string Directory => Path.Combine(RepositoryPaths.Root, "chaos", "scenarios");

    public static string Schema => Path.Combine(Directory, "scenario.schema.json");

    public static IReadOnlyList<string> Shipped => System.IO.Directory.GetFiles(Directory, "*.yaml").Order(StringComparer.Ordinal).ToList();

    /// <summary>A valid scenario whose parts a test can replace: the header, the timeline and the probes.</summary>
    public static string Scratch(string timeline = DefaultTimeline, string probes = DefaultProbes, string extra = "") => $"""
        name: scratch
        compose: {RepositoryPaths.ComposeFile}
        incident: {"{"} title: a scratch incident {"}"}
        symptom:
          http: {"{"} status: 503 {"}"}
        variants:
          baseline: {"{"} expect: symptom, settings: {"{"} backend: {"{"} R1_DATABASE_MANAGER: seed {"}"} {"}"} {"}"}
          fixed: {"{"} expect: pass {"}"}
        {extra}
        timeline:
        {timeline}
        probes:
        {probes}
        """;

    public const string DefaultTimeline = """
          - name: pg-late
            toxic: { dependency: backend_postgres, type: startup_delay, attributes: { delay: 60000, mode: refuse } }
          - restart: backend
            wait: started
          - probe: health
          - after: 500ms
            remove: pg-late
        """;

    public const string DefaultProbes = """
          - name: health
            health: { path: /health, status: 200, within: 3s }
        """;
}
