using System.Globalization;
using System.Xml.Linq;
using Replica.Chaos.Verification;

namespace Replica.Chaos.Reports;

/// <summary>
/// JUnit XML: one test suite per scenario, one test case per variant. A variant whose verdict is not what the
/// scenario expects is a &lt;failure&gt;; an inconclusive one an &lt;error&gt;. The counts go in &lt;system-out&gt;.
/// </summary>
public static class JUnitReportWriter
{
    public static XDocument Build(VerificationReport report)
    {
        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        var cases = report.Variants.Select(v =>
        {
            var time = report.Runs.Where(r => r.Variant == v.Variant).Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Duration);
            var element = new XElement("testcase",
                new XAttribute("classname", $"replica.{report.Scenario}"),
                new XAttribute("name", $"{v.Variant} (expect {v.Expectation.ToString().ToLowerInvariant()})"),
                new XAttribute("time", Seconds(time)));
            if (!v.ExpectationHeld)
            {
                var name = v.Verdict == Verdict.Inconclusive ? "error" : "failure";
                element.Add(new XElement(name,
                    new XAttribute("message", v.Describe()),
                    new XAttribute("type", v.Verdict.ToString()),
                    Details(v)));
            }
            element.Add(new XElement("system-out", $"{v.Describe()}\n{Details(v)}"));
            return element;
        }).ToList();
        var failures = report.Variants.Count(v => !v.ExpectationHeld && v.Verdict != Verdict.Inconclusive);
        var errors = report.Variants.Count(v => !v.ExpectationHeld && v.Verdict == Verdict.Inconclusive);
        var suite = new XElement("testsuite",
            new XAttribute("name", report.Scenario),
            new XAttribute("tests", report.Variants.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", errors),
            new XAttribute("skipped", 0),
            new XAttribute("time", Seconds(report.Duration)),
            new XAttribute("timestamp", report.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            new XElement("properties",
                new XElement("property", new XAttribute("name", "incident"), new XAttribute("value", report.Incident)),
                new XElement("property", new XAttribute("name", "symptom"), new XAttribute("value", report.Symptom)),
                new XElement("property", new XAttribute("name", "runtime"), new XAttribute("value", report.Runtime)),
                new XElement("property", new XAttribute("name", "seed"), new XAttribute("value", report.Seed)),
                new XElement("property", new XAttribute("name", "seeds"), new XAttribute("value", string.Join(",", report.Seeds))),
                new XElement("property", new XAttribute("name", "shards"), new XAttribute("value", string.Join(",", report.Shards))),
                new XElement("property", new XAttribute("name", "copies"), new XAttribute("value", string.Join(",", report.Copies))),
                new XElement("property", new XAttribute("name", "machines"), new XAttribute("value", string.Join(",", report.Machines)))),
            cases);
        return new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement("testsuites",
                new XAttribute("name", "replica verify"),
                new XAttribute("tests", report.Variants.Count),
                new XAttribute("failures", failures),
                new XAttribute("errors", errors),
                new XAttribute("time", Seconds(report.Duration)),
                suite));
    }

    public static void Write(VerificationReport report, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        Build(report).Save(path);
    }

    private static string Details(VariantSummary v) =>
        v.FailureModes.Count == 0
            ? $"{v.Passed}/{v.Runs} runs passed"
            : string.Join("\n", v.FailureModes.Select(m => $"{m.Value} × {m.Key}"));
}
