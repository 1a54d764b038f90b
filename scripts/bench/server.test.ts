/**
 * The server benchmark's machinery, briefly, on a small clinic: a real `reservoir serve` process,
 * workstations signed in with their own sessions, a few seconds of the mix — and the proof the
 * full run gives: no errors, every acknowledged write found by id afterwards, the audit chain
 * intact (by the server and on the file). Timing is not asserted (that is `npm run bench -- --only server`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/cli/database';
import { generateClinic } from '../../electron/services/generate/generate';
import { tempDir } from '../../electron/services/testing/temp';
import { calendarDate } from '../../shared/domain/calendar';
import { KINDS, WRITES } from './server-load';
import { describeRun, readBack, runServerBench, serverFigures, type ServerRunResult } from './server';

let tmp: ReturnType<typeof tempDir>;
let run: ServerRunResult;
let clinic: string;

beforeAll(async () => {
  tmp = tempDir();
  const file = tmp.file('small-clinic.db');
  clinic = file;
  const today = calendarDate(new Date().toISOString().slice(0, 10));
  const opened = openStore(file, { mustExist: false, now: () => Date.now(), keys: { plain: true } });
  if (!opened.ok) throw new Error(opened.message);
  generateClinic(opened.value.ctx, { patients: 200, years: 2, seed: 7, asOf: today });
  opened.value.close();
  run = await runServerBench({ clinicFile: file, workstations: 3, clinicians: 1, seconds: 3, warmupSeconds: 0, thinkMs: 20, log: () => {} });
}, 60_000);
afterAll(() => tmp?.cleanup());

describe('npm run bench -- --only server, briefly on 200 patients', () => {
  it('answers every request of every kind without an error', () => {
    expect([...run.stats.errors.entries()], describeRun(run)).toEqual([]);
    for (const kind of KINDS.filter((k) => !k.includes('preview') && !WRITES.includes(k))) expect(run.stats.latencies[kind].length, kind).toBeGreaterThan(0);
  });

  it('finds every acknowledged refill and dose change in the database afterwards, by id', () => {
    expect(run.acknowledged.length, describeRun(run)).toBeGreaterThan(0);
    expect(run.acknowledged.some((a) => a.kind === 'refill')).toBe(true);
    expect(run.missing).toEqual([]);
  });

  it('counts a write the server acknowledged but the database does not hold as missing (an unknown id, or another pump or date)', () => {
    const missing = readBack(clinic, [
      { kind: 'refill', id: 1, pumpId: 1, date: '1990-01-01' },
      { kind: 'dose change', id: 99_999_999, pumpId: 1, date: '1990-01-01' },
    ]).missing;
    expect(missing.map((m) => m.kind)).toEqual(['refill', 'dose change']);
  });

  it('leaves the audit chain intact, as the server and the file itself say, and the server stops cleanly', () => {
    expect(run.auditByServer.ok).toBe(true);
    expect(run.auditOnFile).toEqual(run.auditByServer);
    expect(run.auditOnFile.entries).toBeGreaterThan(run.acknowledged.length);
    expect(run.serverExit).toBe(0);
  });

  it('reports p95 against the targets: 50 ms for reads, 100 ms for writes', () => {
    const figures = serverFigures(run, 200, 3);
    expect(figures.find((f) => f.name.startsWith('server: worklist, p95'))?.max).toBe(50);
    expect(figures.find((f) => f.name.startsWith('server: refill, p95'))?.max).toBe(100);
    expect(figures.at(-1)?.note).toContain('0 errors');
  });
});
