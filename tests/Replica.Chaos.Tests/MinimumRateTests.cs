using Replica.Chaos.Probes;
using Replica.Chaos.Reports;
using Replica.Chaos.Scenarios;
using Replica.Chaos.Verification;

namespace Replica.Chaos.Tests;

/// <summary>
/// `verify --min-rate`: a symptom seen too rarely is the verdict itself, so the exit code, the JSON, the JUnit and the
/// Markdown reports all say the same.
/// </summary>
public sealed class MinimumRateTests
{
    private static readonly FailureMode Close1011 = new(FailureKind.WebSocketClosed, 1011, "Service not ready: redis");

    private static List<RunResult> Runs(string variant, int symptom, int passed)
    {
        var runs = new List<RunResult>();
        for (var i = 0; i < symptom + passed; i++)
        {
            runs.Add(new RunResult(variant, i + 1, 1, i < symptom ? RunOutcome.Symptom : RunOutcome.Passed, i < symptom ? Close1011 : null, [], [], TimeSpan.FromSeconds(1)));
        }
        return runs;
    }

    private static VerificationReport Report(double? minimum) =>
        new("r2", "incident", null, "websocket-close", "process", 1, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1),
            [
                VariantSummary.From("baseline", VariantExpectation.Symptom, Runs("baseline", symptom: 2, passed: 8), minimum),
                VariantSummary.From("fixed", VariantExpectation.Pass, Runs("fixed", symptom: 0, passed: 10), minimum),
            ],
            [.. Runs("baseline", 2, 8), .. Runs("fixed", 0, 10)]);

    [Fact]
    public void A_symptom_below_the_minimum_rate_is_too_rare_and_every_report_says_the_expectations_failed()
    {
        var report = Report(minimum: 0.9);

        var baseline = report.Variants[0];
        Assert.Equal(Verdict.TooRare, baseline.Verdict);
        Assert.False(baseline.ExpectationHeld);
        Assert.Equal(0.2, baseline.ObservedRate);
        Assert.Equal(0.9, baseline.MinimumSymptomRate);
        Assert.StartsWith("too rare: 2/10 runs showed the symptom", baseline.Describe());
        Assert.Contains("below the required 90 %", baseline.Describe());
        Assert.Equal(Verdict.Fixed, report.Variants[1].Verdict);
        Assert.Null(report.Variants[1].MinimumSymptomRate);
        Assert.False(report.ExpectationsHeld);

        var junit = JUnitReportWriter.Build(report);
        Assert.Equal("1", (string?)junit.Root!.Attribute("failures"));
        var failure = junit.Descendants("testcase").First().Element("failure");
        Assert.NotNull(failure);
        Assert.Equal("TooRare", (string?)failure.Attribute("type"));
        Assert.Null(junit.Descendants("testcase").Last().Element("failure"));

        var markdown = MarkdownReportWriter.Build(report);
        Assert.Contains("❌ expectations not met", markdown);
        Assert.Contains("| baseline | symptom | 2/10 | 0 | 20 % (", markdown);
        Assert.Contains("❌ TooRare |", markdown);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.2)]
    public void A_symptom_at_or_above_the_minimum_rate_is_reproduced(double? minimum)
    {
        var report = Report(minimum);

        Assert.Equal(Verdict.Reproduced, report.Variants[0].Verdict);
        Assert.True(report.ExpectationsHeld);
        Assert.Equal("0", (string?)JUnitReportWriter.Build(report).Root!.Attribute("failures"));
        Assert.Contains("✅ expectations held", MarkdownReportWriter.Build(report));
    }
}
