/**
 * The crash test: runs `child.ts` against one database file, kills it with SIGKILL at a random
 * moment (after a seeded random number of acknowledged writes, plus a random few milliseconds),
 * then reopens the database the way the app does and checks it: `integrity_check` ok, every write
 * ever acknowledged present, no refill visit half-written, the audit trail intact. Many rounds on
 * the same file. Used by `crash.test.ts` (short) and `scripts/crash-test.mjs` (long).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type Database from 'better-sqlite3-multiple-ciphers';
import { verifyAuditChain } from '../audit/chain';
import { integrityProblems, openDatabase } from '../store/database';

export interface CrashTestOptions {
  file: string;
  rounds: number;
  seed: number;
  /** Each round is killed after between `minAcks` and `maxAcks` acknowledged writes. */
  minAcks: number;
  maxAcks: number;
  onRound?: (report: RoundReport) => void;
}

export interface RoundReport {
  round: number;
  acksThisRound: number;
  acksTotal: number;
  problems: string[];
}

export interface CrashTestReport {
  rounds: RoundReport[];
  acksTotal: number;
  problems: string[];
}

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CHILD = path.join(import.meta.dirname, 'child.ts');

/** mulberry32: a small seeded PRNG, so a failing round can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs the child until it has acknowledged `killAfter` writes, then SIGKILLs it after `delayMs`. */
function runChild(file: string, run: string, killAfter: number, delayMs: number): Promise<{ acks: string[]; error: string | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, run], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: string[] = [];
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (!line.startsWith('ACK ')) return;
      acks.push(line.slice(4));
      if (acks.length >= killAfter && !killing) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('close', (code, signal) => {
      const error = signal === 'SIGKILL' ? null : `the child stopped by itself (code ${code}): ${stderr.trim().slice(0, 500)}`;
      resolve({ acks, error });
    });
  });
}

/** What is wrong with the database after a kill, given every write acknowledged so far. */
export function checkAfterCrash(file: string, acks: readonly string[]): string[] {
  const opened = openDatabase(file, { backupBeforeMigration: false });
  if (!opened.ok) return [`the database does not reopen: ${opened.error.message}`];
  if (opened.state !== 'ok') {
    opened.db?.close();
    return [`the database reopens for recovery only: ${opened.message}`];
  }
  const db = opened.db;
  try {
    // Opening checks cheaply; the full check is the shells' background one, run here outright.
    const damage = integrityProblems(db);
    if (damage !== null) return [`the database fails its integrity check: ${damage}`];
    return [...missingAcks(db, acks), ...halfWritten(db), ...auditProblems(db)];
  } finally {
    db.close();
  }
}

function missingAcks(db: Database.Database, acks: readonly string[]): string[] {
  const q = {
    patient: db.prepare('SELECT 1 FROM patients WHERE mrn = ?'),
    pump: db.prepare('SELECT 1 FROM pumps WHERE serial = ?'),
    refill: db.prepare('SELECT 1 FROM refills r JOIN pumps p ON p.id = r.pump_id WHERE p.serial = ? AND r.date = ?'),
    dose: db.prepare('SELECT 1 FROM dose_changes d JOIN pumps p ON p.id = d.pump_id WHERE p.serial = ? AND d.date = ?'),
    event: db.prepare("SELECT 1 FROM events e JOIN pumps p ON p.id = e.pump_id WHERE p.serial = ? AND e.date = ? AND e.kind = 'note'"),
  };
  const problems: string[] = [];
  for (const a of acks) {
    const [kind, ...key] = a.split(' ');
    const stmt = q[kind as keyof typeof q];
    if (stmt === undefined) problems.push(`unknown acknowledgement: ${a}`);
    else if (stmt.get(...key) === undefined) problems.push(`acknowledged but missing: ${a}`);
  }
  return problems;
}

function halfWritten(db: Database.Database): string[] {
  const problems: string[] = [];
  const noDrugs = db.prepare('SELECT r.id FROM refills r WHERE NOT EXISTS (SELECT 1 FROM refill_drugs d WHERE d.refill_id = r.id)').all() as { id: number }[];
  for (const r of noDrugs) problems.push(`refill ${r.id} has no drugs (half-written)`);
  const stale = db
    .prepare(
      `SELECT p.serial, pp.last_refill_date AS projected, (SELECT max(date) FROM refills r WHERE r.pump_id = p.id) AS latest
         FROM pumps p LEFT JOIN pump_projection pp ON pp.pump_id = p.id
        WHERE pp.pump_id IS NULL OR pp.last_refill_date IS NOT (SELECT max(date) FROM refills r WHERE r.pump_id = p.id)`,
    )
    .all() as { serial: string; projected: string | null; latest: string | null }[];
  for (const s of stale) problems.push(`pump ${s.serial}: projection says last refill ${s.projected}, the refills say ${s.latest} (half-written)`);
  // A pump whose latest refill has no dose change after it: the projection is that visit's own.
  const drifted = db
    .prepare(
      `SELECT p.serial, r.date, r.alarm_date AS visitAlarm, pp.alarm_date AS projectedAlarm, r.next_due_date AS visitDue, pp.next_due_date AS projectedDue
         FROM pumps p
         JOIN pump_projection pp ON pp.pump_id = p.id
         JOIN refills r ON r.pump_id = p.id AND r.date = (SELECT max(date) FROM refills WHERE pump_id = p.id)
        WHERE NOT EXISTS (SELECT 1 FROM dose_changes d WHERE d.pump_id = p.id AND d.date > r.date)
          AND (pp.alarm_date IS NOT r.alarm_date OR pp.next_due_date IS NOT r.next_due_date)`,
    )
    .all() as { serial: string; date: string; visitAlarm: string; projectedAlarm: string; visitDue: string; projectedDue: string }[];
  for (const d of drifted) {
    problems.push(`pump ${d.serial}: the refill of ${d.date} says alarm ${d.visitAlarm}, due ${d.visitDue}; the projection says ${d.projectedAlarm}, ${d.projectedDue} (half-written)`);
  }
  const unaudited = db
    .prepare("SELECT r.id FROM refills r WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'refill' AND a.entity_id = CAST(r.id AS TEXT))")
    .all() as { id: number }[];
  for (const r of unaudited) problems.push(`refill ${r.id} has no audit entry`);
  return problems;
}

function auditProblems(db: Database.Database): string[] {
  const chain = verifyAuditChain(db);
  return chain.ok ? [] : [`audit trail broken at entry ${chain.brokenSeq}: ${chain.reason}`];
}

export async function runCrashTest(options: CrashTestOptions): Promise<CrashTestReport> {
  const random = prng(options.seed);
  const all: string[] = [];
  const rounds: RoundReport[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const killAfter = options.minAcks + Math.floor(random() * (options.maxAcks - options.minAcks + 1));
    const delayMs = Math.floor(random() * 4);
    const { acks, error } = await runChild(options.file, `${options.seed}r${round}`, killAfter, delayMs);
    all.push(...acks);
    const problems = error === null ? checkAfterCrash(options.file, all) : [error];
    const report = { round, acksThisRound: acks.length, acksTotal: all.length, problems };
    rounds.push(report);
    options.onRound?.(report);
    if (problems.length > 0) break;
  }
  return { rounds, acksTotal: all.length, problems: rounds.flatMap((r) => r.problems.map((p) => `round ${r.round}: ${p}`)) };
}
