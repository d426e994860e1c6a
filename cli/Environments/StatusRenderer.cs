using Replica.Environments.Runtimes.Docker;
using Spectre.Console;

namespace Replica.Cli.Environments;

/// <summary>Prints a status report as a table, or as JSON for scripts and CI.</summary>
internal static class StatusRenderer
{
    public static void WriteJson(EnvironmentStatusReport report) => JsonOutput.Write(report);

    public static void WriteTable(EnvironmentStatusReport report)
    {
        if (!report.Up && report.Services.Count == 0)
        {
            Console.Out.WriteLine($"environment '{report.Name}' is not up");
            return;
        }
        var console = Terminal.Out;
        console.MarkupLine($"environment [bold]{Markup.Escape(report.Name)}[/] — {report.Phase}, {report.Runtime} runtime, owner pid {report.OwnerPid}{(report.Detached ? " (detached)" : "")}");
        var table = new Table().Border(TableBorder.Simple);
        // The docker runtime's services have a container where the process runtime's have a pid.
        foreach (var column in new[] { "SERVICE", "STATE", "HEALTH", "ENDPOINT", report.Runtime == DockerRuntime.RuntimeName ? "CONTAINER" : "PID" })
        {
            table.AddColumn(column);
        }
        foreach (var s in report.Services)
        {
            var health = s.Health switch
            {
                "healthy" => "[green]healthy[/]",
                "unhealthy" => $"[red]unhealthy[/] {Markup.Escape(s.HealthDetail ?? "")}",
                var h => Markup.Escape(h),
            };
            table.AddRow(Markup.Escape(s.Name), Markup.Escape(s.State), health, Markup.Escape(s.Endpoint ?? "-"), s.Pid?.ToString() ?? (s.ContainerId?[..12] ?? "-"));
        }
        console.Write(table);
        if (report.Edges.Count > 0)
        {
            var edges = new Table().Border(TableBorder.Simple);
            foreach (var column in new[] { "EDGE", "FROM → TO", "DEPENDENT USES", "UPSTREAM" })
            {
                edges.AddColumn(column);
            }
            foreach (var e in report.Edges.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                edges.AddRow(Markup.Escape(e.Name), Markup.Escape($"{e.Dependent} → {e.Dependency}"), Markup.Escape(e.Address + (e.Proxied ? " (proxy)" : "")), Markup.Escape(e.Upstream));
            }
            console.Write(edges);
        }
        foreach (var (name, url) in report.Endpoints.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            console.MarkupLine($"  {Markup.Escape(name),-14} {Markup.Escape(url)}");
        }
        foreach (var (name, seed) in report.Seeds)
        {
            console.MarkupLine($"  seed {Markup.Escape(name),-9} {seed}");
        }
    }
}
