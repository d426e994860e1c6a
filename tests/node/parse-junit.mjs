// Reads a JUnit XML report the way CI dashboards do (test-results-parser, as used by testbeats) and prints the totals.
// usage: node parse-junit.mjs FILE
import trp from "test-results-parser";

const result = trp.parse({ type: "junit", files: [process.argv[2]] });
console.log(JSON.stringify({
  total: result.total,
  passed: result.passed,
  failed: result.failed,
  errors: result.errors,
  suites: result.suites.map((s) => ({
    name: s.name,
    total: s.total,
    failed: s.failed,
    cases: s.cases.map((c) => ({ name: c.name, status: c.status, failure: c.failure })),
  })),
}));
