using Replica.Cli.Json;
using Replica.Environments.Runtimes.Docker;
using Spectre.Console;

namespace Replica.Cli.Environments;

/// <summary>Prints a status report as a table, or as JSON for scripts and CI.</summary>
internal static class StatusRenderer
{
    public static void WriteJson(EnvironmentStatusReport report) => JsonOutput.Write(report, JsonOutput.Types.EnvironmentStatusReport);

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
        if (report.Dependencies.Count > 0)
        {
            var dependencies = new Table().Border(TableBorder.Simple);
            foreach (var column in new[] { "DEPENDENCY", "FROM → TO", "DEPENDENT USES", "UPSTREAM" })
            {
                dependencies.AddColumn(column);
            }
            foreach (var d in report.Dependencies.OrderBy(d => d.Name, StringComparer.Ordinal))
            {
                dependencies.AddRow(Markup.Escape(d.Name), Markup.Escape($"{d.Dependent} → {d.Dependency}"), Markup.Escape(d.Address + (d.Proxied ? " (proxy)" : "")), Markup.Escape(d.Upstream));
            }
            console.Write(dependencies);
        }
        foreach (var (name, url) in report.Endpoints.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            console.MarkupLine($"  {Markup.Escape(name),-14} {Markup.Escape(url)}");
        }
        foreach (var (service, settings) in report.Settings.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            console.MarkupLine($"  settings {Markup.Escape(service),-5} {Markup.Escape(string.Join(" ", settings.Select(p => $"{p.Key}={p.Value}")))}");
        }
        foreach (var (name, seed) in report.Seeds)
        {
            console.MarkupLine($"  seed {Markup.Escape(name),-9} {seed}");
        }
    }
}
