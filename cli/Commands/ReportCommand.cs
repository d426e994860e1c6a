using System.CommandLine;
using Replica.Chaos.Reports;
using Replica.Cli.Scenarios;
using Replica.Environments.Errors;

namespace Replica.Cli.Commands;

/// <summary>
/// `replica report merge A.json B.json … [--junit F] [--markdown F] [--json]`: the JSON reports of one scenario's
/// shards (`verify --shard i/n --json`) as one verdict — counts added, intervals and verdicts from the totals, as one
/// verify of every run would give; exit 0 only when every variant does what the scenario expects.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("reports") { Description = "The JSON reports of `replica verify --json` to merge (one per shard)", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print the merged report as JSON on stdout" };
        var junit = new Option<string?>("--junit") { Description = "Write the merged JUnit XML report to FILE" };
        var markdown = new Option<string?>("--markdown") { Description = "Write the merged Markdown summary to FILE" };
        var merge = new Command("merge", "Merge the JSON reports of a verify's shards into one report and verdict") { files, json, junit, markdown };
        merge.SetAction(parse =>
        {
            var paths = parse.GetValue(files) ?? [];
            var outputs = (JUnit: ReportFile.Check("--junit", parse.GetValue(junit)), Markdown: ReportFile.Check("--markdown", parse.GetValue(markdown)));
            var (report, notes) = ReportMerger.Merge(paths.Select(p => (p, VerificationReportJson.Read(p))).ToList());
            var asJson = parse.GetValue(json);
            var output = asJson ? Console.Error : Console.Out;
            output.WriteLine($"Merged {paths.Length} report(s) of {report.Scenario}: shards {string.Join(", ", report.Shards)}; {report.Runs.Count} runs on {string.Join(", ", report.Machines)}; seeds {string.Join(", ", report.Seeds)}");
            foreach (var note in notes)
            {
                output.WriteLine($"  note: {note}");
            }
            if (asJson)
            {
                Console.Out.WriteLine(VerificationReportJson.Serialize(report));
            }
            else
            {
                RunPrinter.Summary(report, output);
            }
            if (outputs.JUnit is { } junitFile)
            {
                junitFile.Write(path => JUnitReportWriter.Write(report, path));
                output.WriteLine($"JUnit report: {junitFile.Path}");
            }
            if (outputs.Markdown is { } markdownFile)
            {
                markdownFile.Write(path => MarkdownReportWriter.Write(report, path));
                output.WriteLine($"Markdown summary: {markdownFile.Path}");
            }
            return report.ExpectationsHeld ? ExitCodes.Success : ExitCodes.Failure;
        });
        return new Command("report", "Work with verify reports") { merge };
    }
}
