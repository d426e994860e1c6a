using System.Globalization;
using System.Xml.Linq;
using Replica.Chaos.Sweeps;

namespace Replica.Chaos.Reports;

/// <summary>
/// A sweep's expectations as JUnit XML: one test suite per sweep, one test case per expectation
/// (<c>fixed boundary_at_least: 1.5s</c>), a &lt;failure&gt; when it did not hold; each variant's curve in &lt;system-out&gt;.
/// A sweep without expectations gives one case per variant that only fails on runs that could not be carried out.
/// </summary>
public static class SweepJUnitWriter
{
    public static XDocument Build(SweepReport report)
    {
        var axis = report.Plan.Axes[0];
        var suiteName = report.Title;
        var cases = report.Expectations.Select(e =>
        {
            var element = new XElement("testcase",
                new XAttribute("classname", $"replica.sweep.{report.Plan.Scenario.Name}"),
                new XAttribute("name", $"{e.Expectation.Variant} {e.Expectation.Text}"),
                new XAttribute("time", "0"));
            if (!e.Held)
            {
                element.Add(new XElement("failure", new XAttribute("message", e.Detail), new XAttribute("type", "SweepExpectation"), e.Detail));
            }
            element.Add(new XElement("system-out", e.Detail));
            return element;
        }).ToList();
        if (cases.Count == 0)
        {
            cases = report.Variants.Select(v =>
            {
                var element = new XElement("testcase",
                    new XAttribute("classname", $"replica.sweep.{report.Plan.Scenario.Name}"),
                    new XAttribute("name", $"{v.Variant} swept"),
                    new XAttribute("time", "0"));
                var errors = v.Cells.Sum(c => c.Errors);
                if (errors > 0)
                {
                    element.Add(new XElement("error", new XAttribute("message", $"{errors} runs could not be carried out")));
                }
                return element;
            }).ToList();
        }
        var curves = string.Join("\n", report.Variants.Select(v =>
            $"{v.Variant}: {v.Boundary.Description}\n" + string.Join("\n", v.Cells.Select(c =>
                $"  {string.Join(" × ", c.Values.Select((x, i) => report.Plan.Axes[i].Format(x)))}: {c.Failures}/{c.Trials} ({c.Interval})"))));
        var suite = new XElement("testsuite",
            new XAttribute("name", suiteName),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
            new XAttribute("errors", cases.Count(c => c.Element("error") is not null)),
            new XAttribute("time", report.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)),
            new XAttribute("timestamp", report.Started.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            new XElement("properties",
                new XElement("property", new XAttribute("name", "vary"), new XAttribute("value", string.Join("; ", report.Plan.Axes.Select(a => $"{a.Path.Text}={a.Range.Text}")))),
                new XElement("property", new XAttribute("name", "seed"), new XAttribute("value", report.Seed))),
            cases,
            new XElement("system-out", $"{axis.Path.Text}\n{curves}"));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite));
    }

    public static void Write(SweepReport report, string path) => Build(report).Save(path);
}
