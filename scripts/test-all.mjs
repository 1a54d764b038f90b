#!/usr/bin/env node
// `npm test`: every check the project has, in order, then one closing line `N passed, N failed`.
// Suites: lint, type checks, build (for a full run), unit tests (vitest), end-to-end (Playwright: Chromium
// through the browser shell; Electron specs run where an Electron binary exists and report themselves
// skipped otherwise).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
const want = (suite) => only.length === 0 || only.includes(suite);
fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const rows = [];

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${[path.basename(cmd), ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(label, cmd, args) {
  const okay = run(label, cmd, args);
  rows.push([label, okay ? 1 : 0, okay ? 0 : 1, 0]);
  totals[okay ? 'passed' : 'failed'] += 1;
  return okay;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

if (want('lint')) check('lint', bin('eslint'), ['.', '--max-warnings=0']);
if (want('types')) {
  check('types (all)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  check('types (shared/: no DOM, no Node)', bin('tsc'), ['-p', 'shared/tsconfig.json', '--noEmit']);
}

// A full run builds first: the end-to-end tests need the build, and so does the unit test that prints
// a PDF from the browser shell over HTTPS (electron/web/server.test.ts; it is skipped without one).
const built = want('e2e') ? check('build (renderer + electron)', 'npm', ['run', 'build', '--silent']) : false;

if (want('unit')) {
  const out = path.join(root, 'test-results/unit.json');
  fs.rmSync(out, { force: true });
  const okay = run('unit (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${out}`]);
  const report = readJson(out);
  if (report) {
    const passed = report.numPassedTests ?? 0;
    const failed = (report.numFailedTests ?? 0) + (okay || report.numFailedTests ? 0 : 1);
    const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    rows.push(['unit', passed, failed, skipped]);
    totals.passed += passed;
    totals.failed += failed;
    totals.skipped += skipped;
  } else {
    rows.push(['unit', 0, 1, 0]);
    totals.failed += 1;
  }
}

if (want('e2e')) {
  if (built) {
    const out = path.join(root, 'test-results/e2e-results.json');
    fs.rmSync(out, { force: true });
    const useXvfb = !process.env.DISPLAY && fs.existsSync('/usr/bin/xvfb-run');
    const okay = useXvfb
      ? run('e2e (playwright)', '/usr/bin/xvfb-run', ['-a', bin('playwright'), 'test'])
      : run('e2e (playwright)', bin('playwright'), ['test']);
    const report = readJson(out);
    if (report?.stats) {
      const s = report.stats;
      const failed = (s.unexpected ?? 0) + (okay || s.unexpected ? 0 : 1);
      rows.push(['e2e', (s.expected ?? 0) + (s.flaky ?? 0), failed, s.skipped ?? 0]);
      totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
      totals.failed += failed;
      totals.skipped += s.skipped ?? 0;
    } else {
      rows.push(['e2e', 0, 1, 0]);
      totals.failed += 1;
    }
  }
}

console.log('\nSuite                                passed  failed  skipped');
for (const [label, p, f, s] of rows) console.log(`${label.padEnd(36)} ${String(p).padStart(6)}  ${String(f).padStart(6)}  ${String(s).padStart(7)}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
