using System.CommandLine;
using System.Diagnostics;
using Replica.Chaos.Reports;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Verification;
using Replica.Cli.Control;
using Replica.Cli.Environments;
using Replica.Cli.Scenarios;
using Replica.Environments.Errors;
using Replica.Environments.Hosting;
using Replica.Environments.Proxied;

namespace Replica.Cli.Commands;

/// <summary>
/// `replica verify SCENARIO [--runs N] [--variants a,b] [--parallel K] [--shard i/n] [--calibrate]`: N runs per variant
/// spread over K isolated copies of the environment (or this shard's share of them), then per variant the failures by
/// mode, a 95 % interval and a verdict; exit 0 only when every variant does what the scenario expects (and, with
/// --calibrate, the rate at K does not differ from K = 1 beyond the intervals).
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var scenarioArgument = new Argument<string?>("scenario") { Description = "Scenario file, name or unique prefix (chaos/scenarios/)", Arity = ArgumentArity.ZeroOrOne };
        var runs = new Option<int?>("--runs", "-n") { Description = "Runs per variant (default: the scenario's runs:, else 20)" };
        var variants = new Option<string?>("--variants") { Description = "Comma-separated variants to run (default: all)" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the proxies' random sources (printed when not given)" };
        var json = new Option<bool>("--json") { Description = "Print the full report as JSON on stdout (progress goes to stderr)" };
        var junit = new Option<string?>("--junit") { Description = "Write a JUnit XML report to FILE (one test case per variant)" };
        var markdown = new Option<string?>("--markdown") { Description = "Write a Markdown summary to FILE (for a PR comment)" };
        var timeline = new Option<string?>("--timeline") { Description = "Write an SVG timeline of one run (the first that showed the symptom) to FILE" };
        var list = new Option<bool>("--list") { Description = "List the scenarios and their variants" };
        var minRate = new Option<double?>("--min-rate")
        {
            Description = "Also require every symptom variant to show the symptom in at least this share of runs (0..1), e.g. 0.9 for CI",
        };
        var parallel = new Option<int?>("--parallel", "-j")
        {
            Description = "Spread the runs over K isolated copies of the environment (default: what this machine sustains: 2 per processor, as many as fit in 80 % of the available memory, no more than the runs)",
        };
        var shard = new Option<string?>("--shard") { Description = "Run only the i-th of n shares of every variant's runs (runs i, i+n, …), e.g. 2/3; merge the JSON reports with `replica report merge`" };
        var calibrate = new Option<bool>("--calibrate")
        {
            Description = "Run a short sample of every variant at K = 1 and at the chosen K and say whether the symptom rate differs beyond the intervals (the sample: --runs, default 10)",
        };
        var runtimeOptions = new RuntimeOptions();
        var command = new Command("verify", "Run each variant of a scenario N times and report failure rates with confidence intervals")
        {
            scenarioArgument, runs, variants, seed, json, junit, markdown, timeline, list, minRate, parallel, shard, calibrate,
        };
        runtimeOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(list))
            {
                return ListScenarios();
            }
            var argument = parse.GetValue(scenarioArgument) ?? throw new ReplicaException("verify: which scenario? (replica verify --list)", kind: ReplicaErrorKind.BadInput);
            var runtime = runtimeOptions.Read(parse);
            var (scenario, topology) = ScenarioSession.Load(argument, parse);
            var chosen = ScenarioSession.SelectVariants(scenario, parse.GetValue(variants));
            var calibrating = parse.GetValue(calibrate);
            var count = parse.GetValue(runs) ?? (calibrating ? 10 : scenario.DefaultRuns);
            var requiredRate = parse.GetValue(minRate);
            if (requiredRate is < 0 or > 1)
            {
                throw new ReplicaException($"--min-rate: expected a share from 0 to 1, found {requiredRate}", kind: ReplicaErrorKind.BadInput);
            }
            if (count < 1)
            {
                throw new ReplicaException($"--runs: expected at least 1, found {count}", kind: ReplicaErrorKind.BadInput);
            }
            var copiesGiven = parse.GetValue(parallel);
            if (copiesGiven is < 1)
            {
                throw new ReplicaException($"--parallel: expected at least 1 copy, found {copiesGiven}", kind: ReplicaErrorKind.BadInput);
            }
            var share = parse.GetValue(shard) is { } shardText ? Shard.Parse(shardText) : Shard.All;
            if (calibrating && !share.IsAll)
            {
                throw new ReplicaException("--calibrate: runs its own sample on one machine; leave --shard out", kind: ReplicaErrorKind.BadInput);
            }
            var plan = share.Plan(chosen, count);
            if (plan.Count == 0)
            {
                throw new ReplicaException($"--shard {share}: of {count} runs per variant, shard {share.Index} has none (at most {count} shards)", kind: ReplicaErrorKind.BadInput);
            }
            var reports = (
                JUnit: ReportFile.Check("--junit", parse.GetValue(junit)),
                Markdown: ReportFile.Check("--markdown", parse.GetValue(markdown)),
                Timeline: ReportFile.Check("--timeline", parse.GetValue(timeline)));
            var asJson = parse.GetValue(json);
            var output = asJson ? Console.Error : Console.Out;
            var scenarioSeed = parse.GetValue(seed) ?? Random.Shared.Next(1, int.MaxValue);
            output.WriteLine($"Scenario {scenario.Name}: {scenario.Incident.Title}");
            ScenarioSession.PrintWarnings(scenario, output);
            var shareText = share.IsAll ? "" : $"; shard {share} ({plan.Count} of {chosen.Count * count} runs)";
            output.WriteLine($"  symptom: {scenario.Symptom}; variants: {string.Join(", ", chosen.Select(v => $"{v.Name} (expect {v.Expectation.ToString().ToLowerInvariant()})"))}; {count} runs each{shareText}; {runtime.Runtime} runtime; seed {scenarioSeed}");
            var name = parse.GetValue(GlobalOptions.Name);
            using var signals = SignalScope.ForEnvironmentCopies(ct, ScenarioSession.Store, ScenarioSession.EnvironmentName(scenario, name));
            var printer = new ProgressPrinter(output, color: false);
            // Environment progress (copy 1's) is shown until it is up; restarts between runs would drown the run lines.
            var environmentUp = false;
            var severalCopies = copiesGiven is not 1;
            Task<ReplicaEnvironment> StartCopy(int copy, CancellationToken token) =>
                ScenarioSession.StartEnvironmentAsync(scenario, topology, chosen[0], ScenarioSession.CopyName(scenario, name, copy, severalCopies), runtime,
                    RunSeeds.ForCopy(scenarioSeed, copy),
                    copy == 1 ? e => { if (e.Kind is EnvironmentEventKind.Healthy or EnvironmentEventKind.Unhealthy or EnvironmentEventKind.Progress && !Volatile.Read(ref environmentUp)) printer.Print(e); } : null,
                    token);
            var clock = Stopwatch.StartNew();
            ParallelismChoice choice;
            EnvironmentPool pool;
            if (copiesGiven is { } k)
            {
                choice = ParallelismChoice.Given(k, System.Environment.ProcessorCount, plan.Count);
                pool = await EnvironmentPool.StartAsync(scenario, scenarioSeed, k, StartCopy, signals.Token);
            }
            else
            {
                // K from the first copy's measured footprint: start it, measure, then start the rest at once.
                var before = CopyFootprint.OwnResidentBytes();
                pool = await EnvironmentPool.StartAsync(scenario, scenarioSeed, 1, StartCopy, signals.Token);
                choice = ParallelismChoice.Default(System.Environment.ProcessorCount, CopyFootprint.ResidentBytes(pool.Copies[0], before),
                    CopyFootprint.AvailableBytes(), plan.Count);
            }
            await using (pool)
            {
                await pool.GrowAsync(choice.Copies, StartCopy, signals.Token);
                Volatile.Write(ref environmentUp, true);
                var startTime = clock.Elapsed;
                var first = pool.Copies[0];
                // The live view follows copy 1; every copy's ended runs reach its tally.
                await using var dashboard = await ControlServer.StartAsync(first, ControlServer.CheckListen("127.0.0.1:0", token: null), userToken: null, signals.Token);
                output.WriteLine($"Environment up in {startTime.TotalSeconds:0.00} s: {choice.Describe()} (seed {scenarioSeed}{EdgeShape.Describe(first)}); running… (live: {dashboard.Url})");
                void OnRun(RunResult run)
                {
                    RunPrinter.RunLine(run, count, output, showCopy: pool.Count > 1);
                    dashboard.PublishRun(scenario.Name, run, count);
                }
                VerificationReport report;
                if (calibrating)
                {
                    report = await CalibrateAsync(pool, scenario, chosen, count, startTime, runtime.Runtime, OnRun, output, signals.Token, requiredRate);
                }
                else
                {
                    report = await ScenarioVerifier.VerifyAsync(pool, scenario, chosen, count, share, startTime, runtime.Runtime, OnRun, signals.Token, requiredRate);
                }
                report = report with { Parallelism = choice };
                if (asJson)
                {
                    Console.Out.WriteLine(VerificationReportJson.Serialize(report));
                    RunPrinter.Calibration(report, output);
                }
                else
                {
                    RunPrinter.Summary(report, output);
                }
                WriteReports(report, scenario, reports.JUnit, reports.Markdown, reports.Timeline, output);
                return report.ExpectationsHeld && report.Calibration?.Differs != true ? ExitCodes.Success : ExitCodes.Failure;
            }
        });
        return command;
    }

    /// <summary>
    /// The same sample of every variant at K = 1 (one run at a time) and then at K (every copy busy); the report is the
    /// K sample's, with the comparison in <see cref="VerificationReport.Calibration"/>.
    /// </summary>
    private static async Task<VerificationReport> CalibrateAsync(
        EnvironmentPool pool, Scenario scenario, IReadOnlyList<ScenarioVariant> chosen, int sample, TimeSpan startTime, string runtime,
        Action<RunResult> onRun, TextWriter output, CancellationToken cancellationToken, double? requiredRate)
    {
        var plan = Shard.All.Plan(chosen, sample);
        output.WriteLine($"Calibration: {sample} runs per variant at K = 1…");
        var started = DateTimeOffset.UtcNow;
        var alone = await pool.RunAllAsync(plan, onRun, cancellationToken, parallelism: 1);
        var aloneReport = ScenarioVerifier.Report(scenario, chosen, alone, runtime, pool.ScenarioSeed, started, TimeSpan.Zero, startTime, requiredRate);
        output.WriteLine($"Calibration: the same at K = {pool.Count}…");
        var report = await ScenarioVerifier.VerifyAsync(pool, scenario, chosen, sample, Shard.All, startTime, runtime, onRun, cancellationToken, requiredRate);
        return report with { Calibration = CalibrationCheck.From(pool.Count, sample, aloneReport.Variants, report.Variants) };
    }

    private static void WriteReports(VerificationReport report, Scenario scenario, ReportFile? junit, ReportFile? markdown, ReportFile? timeline, TextWriter output)
    {
        if (junit is not null)
        {
            junit.Write(path => JUnitReportWriter.Write(report, path));
            output.WriteLine($"JUnit report: {junit.Path}");
        }
        if (markdown is not null)
        {
            markdown.Write(path => MarkdownReportWriter.Write(report, path));
            output.WriteLine($"Markdown summary: {markdown.Path}");
        }
        if (timeline is not null)
        {
            var run = report.Runs.FirstOrDefault(r => r.Outcome == RunOutcome.Symptom)
                      ?? report.Runs.FirstOrDefault(r => r.Outcome != RunOutcome.Passed)
                      ?? report.Runs.First();
            timeline.Write(path => TimelineSvgWriter.Write(scenario.Name, run, path));
            output.WriteLine($"Timeline of {run.Variant} run {run.Index}: {timeline.Path}");
        }
    }

    private static int ListScenarios()
    {
        var directory = ScenarioResolver.ScenarioDirectory() ?? throw new ReplicaException("no chaos/scenarios/ directory here or above", kind: ReplicaErrorKind.BadInput);
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            try
            {
                var (scenario, _) = ScenarioLoader.Load(file);
                Console.Out.WriteLine($"{scenario.Name,-36} {scenario.Incident.Title}");
                Console.Out.WriteLine($"{"",-36} variants: {string.Join(", ", scenario.Variants.Select(v => $"{v.Name} ({v.Expectation.ToString().ToLowerInvariant()})"))}");
            }
            catch (ReplicaException ex)
            {
                Console.Out.WriteLine($"{Path.GetFileNameWithoutExtension(file),-36} (invalid: {ex.Message.Split('\n')[0]})");
            }
        }
        return ExitCodes.Success;
    }
}
