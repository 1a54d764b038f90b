/**
 * Start-up at scale (issue 18): opening must not grow with the clinic. Two figures, each at the
 * benchmark clinic against an empty database (the floor), target ≤ 1.5×:
 * - the services a shell runs (createServices with the background integrity check on, as the
 *   browser shell and Electron open them), from process start to the first worklist answer;
 * - `reservoir worklist` as a command-line process (bin/reservoir.mjs), start to exit.
 * And, for the record, the full integrity check that now runs in the background (a worker thread).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_COST } from '../../electron/services/accounts/passwords';
import { createServices } from '../../electron/services/app';
import { openDatabase } from '../../electron/services/store/database';
import { checkIntegrityInBackground } from '../../electron/services/store/integrity';
import { median, type Figure } from './measure';

const root = path.resolve(import.meta.dirname, '../..');
const USER = { username: 'bench-startup', displayName: 'Bench Start-up', password: 'bench-password-2026' };

function services(db: string) {
  const r = createServices({ databasePath: db, shell: 'browser', passwordCost: TEST_COST, backgroundIntegrityCheck: true, recovery: { confirm: 'code', announce: () => undefined } });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** An administrator on the database (set up once, not timed). */
async function withUser(db: string): Promise<void> {
  const svc = services(db);
  try {
    const state = await svc.dispatch('session.current', {}, { id: null });
    if ((state as { ok: true; value: { state: string } }).value.state === 'setup') {
      const r = await svc.dispatch('session.setup', USER, { id: null });
      if (!r.ok) throw new Error(r.error.message);
    }
  } finally {
    svc.close();
  }
}

/** A new process: from its start to the first worklist answer (`startup-child.ts`; signing in is not counted). */
function openToWorklist(db: string, asOf: string): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'startup-child.ts'), db, USER.username, USER.password, asOf], { cwd: root, encoding: 'utf8' });
  const ms = Number(r.stdout.trim());
  if (r.status !== 0 || !Number.isFinite(ms)) throw new Error(`startup-child failed: ${r.stderr}`);
  return ms;
}

function cliMs(args: string[]): number {
  const t = process.hrtime.bigint();
  // The worklist as JSON at 50,000 patients is more than spawnSync's default 1 MB of output.
  const r = spawnSync(process.execPath, [path.join(root, 'bin/reservoir.mjs'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 512 * 2 ** 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`reservoir ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

export async function startupFigures(clinicFile: string, patients: number, asOf: string, log: (line: string) => void, runs = 5): Promise<Figure[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-bench-startup-'));
  try {
    const big = path.join(work, 'clinic.db');
    fs.copyFileSync(clinicFile, big);
    const empty = path.join(work, 'empty.db');
    const e = openDatabase(empty);
    if (e.ok && e.state === 'ok') e.db.close();
    await withUser(big);
    await withUser(empty);
    const label = `${(patients / 1000).toFixed(0)}k patients`;
    const sizeMb = fs.statSync(big).size / 2 ** 20;

    const svcBig: number[] = [];
    const svcEmpty: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const b = openToWorklist(big, asOf);
      const m = openToWorklist(empty, asOf);
      log(`  services run ${i}${i === 0 ? ' (warm-up)' : ''}: ${b.toFixed(0)} ms at ${patients} patients, ${m.toFixed(0)} ms empty`);
      if (i > 0) {
        svcBig.push(b);
        svcEmpty.push(m);
      }
    }

    const cliBig: number[] = [];
    const cliEmpty: number[] = [];
    const help: number[] = [];
    for (let i = 0; i <= Math.min(runs, 3); i++) {
      const b = cliMs(['worklist', '--db', big, '--as-of', asOf, '--format', 'json']);
      const m = cliMs(['worklist', '--db', empty, '--as-of', asOf, '--format', 'json']);
      const h = cliMs(['--help']);
      log(`  reservoir worklist run ${i}${i === 0 ? ' (warm-up)' : ''}: ${b.toFixed(0)} ms at ${patients} patients, ${m.toFixed(0)} ms empty, --help ${h.toFixed(0)} ms`);
      if (i > 0) {
        cliBig.push(b);
        cliEmpty.push(m);
        help.push(h);
      }
    }

    const t = process.hrtime.bigint();
    const verdict = await checkIntegrityInBackground(big);
    const checkMs = Number(process.hrtime.bigint() - t) / 1e6;
    if (verdict.state !== 'ok') throw new Error(`the benchmark clinic fails its integrity check: ${JSON.stringify(verdict)}`);

    return [
      {
        name: `services started until the first worklist answer (${label}, ${sizeMb.toFixed(0)} MB)`,
        value: median(svcBig),
        unit: 'ms',
        floor: median(svcEmpty),
        maxRatio: 1.5,
        note: 'a new process: from its start to worklist.get answered, createServices as the shells open it (cheap check; the full check in the background); sign-in not counted; floor: the same on an empty database',
      },
      {
        name: `reservoir worklist, a command-line process (${label})`,
        value: median(cliBig),
        unit: 'ms',
        floor: median(cliEmpty),
        maxRatio: 1.5,
        note: `floor: the same on an empty database; reservoir --help takes ${median(help).toFixed(0)} ms`,
      },
      {
        name: `full integrity_check in the background (${label})`,
        value: checkMs,
        unit: 'ms',
        note: 'a worker thread after every start and before every backup; requests are answered meanwhile',
      },
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
