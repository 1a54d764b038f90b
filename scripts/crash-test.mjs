#!/usr/bin/env node
// `npm run crash-test -- [--rounds 200] [--seed N] [--max-acks 400] [--db FILE]`
// The long crash test: a child process writes through the real handlers and is killed with SIGKILL
// at random moments; after each kill the database must reopen intact with every acknowledged write
// and no half-written visit (electron/services/crash/harness.ts). Exit status 1 on any problem.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { runCrashTest } = await import('../electron/services/crash/harness.ts');

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '200' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    'max-acks': { type: 'string', default: '400' },
    db: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const seed = Number(values.seed);
const maxAcks = Number(values['max-acks']);
if (![rounds, seed, maxAcks].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--rounds, --seed and --max-acks must be positive whole numbers');
  process.exit(2);
}
const dir = values.db ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-crash-'));
const file = values.db ? path.resolve(values.db) : path.join(dir, 'crash.db');
console.log(`crash test: ${rounds} rounds, seed ${seed}, database ${file}`);

const report = await runCrashTest({
  file,
  rounds,
  seed,
  minAcks: 1,
  maxAcks,
  onRound: (r) => console.log(`round ${r.round}: killed after ${r.acksThisRound} acknowledged writes (${r.acksTotal} in all) — ${r.problems.length === 0 ? 'ok' : 'PROBLEMS'}`),
});
for (const p of report.problems) console.error(p);
console.log(`${report.rounds.length} rounds, ${report.acksTotal} acknowledged writes, ${report.problems.length} problems (seed ${seed})`);
if (dir !== null && report.problems.length === 0) fs.rmSync(dir, { recursive: true, force: true });
process.exit(report.problems.length === 0 ? 0 : 1);
