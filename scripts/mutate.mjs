#!/usr/bin/env node
// `pnpm mutate [group…] [--report]`: mutation testing of @kaa/core with StrykerJS, one Stryker run per source
// directory of packages/core/src (a group), each incremental, then one score over all groups. See docs/testing.md.
//
//   pnpm mutate                 every group (unchanged mutants are reused from the last run)
//   pnpm mutate routing events  those groups only; the others keep their last results in the summary
//   pnpm mutate --report        no run: print the summary of the last results
//
// A group's results survive an interrupted run of a later group, so a long run on a busy machine can be resumed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = `${root}packages/core/src`;
const out = `${root}.artifacts/mutation`;

/** Groups: each directory of core's src, plus `root` for the files directly in it. */
const GROUPS = [
  ...readdirSync(src, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort(),
  'root',
];

const args = process.argv.slice(2);
const reportOnly = args.includes('--report');
const asked = args.filter((a) => !a.startsWith('--'));
const unknown = asked.filter((g) => !GROUPS.includes(g));
if (unknown.length > 0) {
  console.error(`Unknown group(s): ${unknown.join(', ')}. Groups: ${GROUPS.join(', ')}.`);
  process.exit(2);
}

mkdirSync(out, { recursive: true });
if (!reportOnly) {
  for (const group of asked.length > 0 ? asked : GROUPS) {
    console.log(`\n== mutate ${group} ==`);
    const run = spawnSync('npx', ['stryker', 'run'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, KAA_MUTATE_GROUP: group },
    });
    if (run.status !== 0) {
      console.error(
        `Stryker failed on group "${group}" (exit ${run.status}). The groups before it keep their results.`,
      );
      process.exit(run.status ?? 1);
    }
  }
}

// One score over every group's last JSON report (mutation-testing-report-schema).
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = [];
const survivors = [];
for (const group of GROUPS) {
  const file = `${out}/${group}.json`;
  if (!existsSync(file)) {
    rows.push({ group, missing: true });
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const count = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0 };
  for (const [path, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (m.status === 'Killed') count.killed += 1;
      else if (m.status === 'Timeout') count.timeout += 1;
      else if (m.status === 'Survived') count.survived += 1;
      else if (m.status === 'NoCoverage') count.noCoverage += 1;
      else if (m.status === 'Ignored') count.ignored += 1;
      else count.errors += 1;
      if (UNDETECTED.has(m.status))
        survivors.push(
          `${path.replace(/^.*packages\/core\//, '')}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName}${m.replacement ? ` → ${JSON.stringify(m.replacement).slice(0, 80)}` : ''} (${m.status})`,
        );
    }
  }
  rows.push({ group, ...count });
}
const pct = (detected, undetected) =>
  detected + undetected === 0 ? 'n/a' : `${((100 * detected) / (detected + undetected)).toFixed(2)} %`;
const lines = [
  '| group | killed | timeout | survived | no coverage | ignored (static) | score |',
  '|---|---:|---:|---:|---:|---:|---:|',
];
const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0 };
for (const r of rows) {
  if (r.missing) {
    lines.push(`| ${r.group} | – | – | – | – | – | not run yet |`);
    continue;
  }
  for (const k of Object.keys(total)) total[k] += r[k];
  lines.push(
    `| ${r.group} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${r.ignored} | ${pct(r.killed + r.timeout, r.survived + r.noCoverage)} |`,
  );
}
lines.push(
  `| **core** | ${total.killed} | ${total.timeout} | ${total.survived} | ${total.noCoverage} | ${total.ignored} | **${pct(total.killed + total.timeout, total.survived + total.noCoverage)}** |`,
);
const summary = `${lines.join('\n')}\n\nScore = (killed + timeout) / (killed + timeout + survived + no coverage). Static mutants are ignored (see docs/testing.md).\n`;
writeFileSync(
  `${out}/summary.md`,
  `${summary}\n## Undetected mutants\n\n${survivors.map((s) => `- ${s}`).join('\n')}\n`,
);
console.log(
  `\n${summary}\n${survivors.length} undetected mutant(s) listed in .artifacts/mutation/summary.md; HTML reports: .artifacts/mutation/<group>.html`,
);
