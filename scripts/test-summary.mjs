#!/usr/bin/env node
// Prints the closing line CI reads ("N passed, N failed, N skipped") from vitest's JSON report of the run just made.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(new URL('../.artifacts/vitest-results.json', import.meta.url), 'utf8'));
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exit(report.numTotalTests > 0 && report.numFailedTests === 0 ? 0 : 1);
