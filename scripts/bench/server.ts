/**
 * `npm run bench -- --only server` (issue 14, "Performance and proof"): one clinic server — a real
 * `reservoir serve` process (bin/reservoir.mjs: the bundle when it is up to date, else the sources
 * through tsx; the run says which) on a copy of the clinic, plain HTTP on loopback — and simulated
 * workstations (`server-load.ts`) in this process, each with its own connection and signed-in
 * session, for a fixed time. Then: p50 and p95 per request kind, throughput, errors, clinical
 * refusals by rule; every acknowledged write read back by id from the database file after the
 * server stopped cleanly; the audit chain verified by the server (`audit.verify`) and again on the
 * file itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { verifyAuditChain } from '../../electron/services/audit/chain';
import type { AuditChainStatus } from '../../shared/contract/audit';
import type { BackupOverview } from '../../shared/contract/backups';
import type { SessionState } from '../../shared/contract/accounts';
// @ts-expect-error: a plain ESM script without types
import { chooseEntry as chooseEntryUntyped } from '../lib/bundle-entry.mjs';
import { emptyStats, KINDS, WRITES, Workstation, workstationLoop, type Acknowledged, type Kind, type LoadStats } from './server-load';
import type { Figure } from './measure';

const root = path.resolve(import.meta.dirname, '../..');
const chooseEntry = chooseEntryUntyped as (root: string, bundle: string) => { kind: 'bundle' | 'source' | 'missing' };
const PASSWORD = 'bench-password-2026';
const ADMIN = { username: 'bench-admin', displayName: 'Bench Administrator', password: PASSWORD };

export interface ServerRunOptions {
  /** The clinic database to copy (left untouched). */
  clinicFile: string;
  workstations: number;
  /** Clinician accounts the workstations sign in as (workstation i as clinician i mod n). */
  clinicians: number;
  seconds: number;
  /** Unmeasured work before the measured window (its writes are checked too). */
  warmupSeconds: number;
  thinkMs: number;
  log: (line: string) => void;
}

export interface ServerRunResult {
  entry: string;
  seconds: number;
  stats: LoadStats;
  requests: number;
  /** Acknowledged writes (warm-up included) and those not found by id afterwards. */
  acknowledged: Acknowledged[];
  missing: Acknowledged[];
  auditByServer: AuditChainStatus;
  auditOnFile: AuditChainStatus;
  startupBackupMs: number;
  serverExit: number | null;
  /** CPU time the server process spent in the measured window (user + system), and this process (the workstations). */
  serverCpuMs: number | null;
  loadCpuMs: number;
  /** The machine's 1-minute load average at the end of the window (other work on the machine shows here). */
  loadAverage: number;
  /** Requests sent again on a new connection after the server closed an idle kept-alive one (browsers do the same). */
  retries: number;
}

/** User + system CPU time of a process so far, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMsOf(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

interface Server {
  child: ChildProcess;
  origin: URL;
  output: () => string;
  stop(): Promise<number | null>;
}

async function startServer(db: string): Promise<Server> {
  // RESERVOIR_BENCH_SERVER_PROFILE=DIR: the server writes a V8 CPU profile there when it stops.
  const profile = process.env.RESERVOIR_BENCH_SERVER_PROFILE;
  const child = spawn(process.execPath, [...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []), path.join(root, 'bin/reservoir.mjs'), 'serve', '--db', db, '--port', '0', '--plain'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let onExit: (code: number | null) => void = () => {};
  const origin = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reservoir serve did not start:\n${out}`)), 180_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(new URL(m[1]!));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    onExit = (code) => reject(new Error(`reservoir serve exited with ${code}:\n${out}`));
    child.once('exit', onExit);
  });
  child.off('exit', onExit);
  return {
    child,
    origin,
    output: () => out,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The administrator (first run, from loopback), the clinician accounts, and every workstation signed in. */
async function signIn(origin: URL, workstations: number, clinicians: number): Promise<{ admin: Workstation; stations: Workstation[] }> {
  const admin = new Workstation(origin, 'bench-server-console');
  const state = await admin.must<SessionState>('session.current', {});
  const created = state.state === 'setup' ? await admin.must<SessionState>('session.setup', ADMIN) : null;
  if (created?.state !== 'active') await admin.must('session.login', { username: ADMIN.username, password: ADMIN.password });
  for (let c = 0; c < clinicians; c++) {
    await admin.must('users.create', { username: `bench-nurse-${c + 1}`, displayName: `Bench Nurse ${c + 1}`, role: 'clinician', password: PASSWORD });
  }
  const stations = Array.from({ length: workstations }, (_, i) => new Workstation(origin, `refill-room-${String(i + 1).padStart(2, '0')}`));
  // Sign-ins hash the password (scrypt at the server's cost): a few at a time, as a clinic's morning.
  for (let i = 0; i < stations.length; i += 4) {
    await Promise.all(stations.slice(i, i + 4).map((ws, j) => ws.must('session.login', { username: `bench-nurse-${((i + j) % clinicians) + 1}`, password: PASSWORD })));
  }
  return { admin, stations };
}

/** The server makes its first daily backup as it starts (a worker thread): measured after it, as a server runs most of the day. */
async function startupBackup(admin: Workstation, log: (line: string) => void): Promise<number> {
  const t = Date.now();
  for (;;) {
    const b = await admin.must<BackupOverview>('backups.list', {});
    if (b.lastBackupAtMs !== null || b.lastError !== null) {
      if (b.lastError !== null) log(`  the start-up backup failed: ${b.lastError}`);
      for (const f of b.backups) log(`  start-up backup: ${f.name} (${f.kind}, ${(f.sizeBytes / 2 ** 20).toFixed(0)} MB)`);
      return Date.now() - t;
    }
    if (Date.now() - t > 300_000) throw new Error('the start-up backup did not finish in 5 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
}

export function readBack(db: string, acknowledged: Acknowledged[]): { missing: Acknowledged[]; audit: AuditChainStatus } {
  const conn = new Database(db, { readonly: true });
  try {
    const tables = { refill: conn.prepare('SELECT pump_id AS pumpId, date FROM refills WHERE id = ?'), 'dose change': conn.prepare('SELECT pump_id AS pumpId, date FROM dose_changes WHERE id = ?') };
    const missing = acknowledged.filter((a) => {
      const row = tables[a.kind].get(a.id) as { pumpId: number; date: string } | undefined;
      return row === undefined || row.pumpId !== a.pumpId || row.date !== a.date;
    });
    return { missing, audit: verifyAuditChain(conn) };
  } finally {
    conn.close();
  }
}

const clinicToday = () => new Date().toISOString().slice(0, 10);

/** The whole run on a copy of `clinicFile` (the copy is removed afterwards). */
export async function runServerBench(o: ServerRunOptions): Promise<ServerRunResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-bench-server-'));
  const db = path.join(work, 'clinic.db');
  fs.copyFileSync(o.clinicFile, db);
  const entry = chooseEntry(root, 'cli.cjs').kind;
  let server: Server | null = null;
  const stations: Workstation[] = [];
  try {
    server = await startServer(db);
    o.log(`  reservoir serve (${entry === 'bundle' ? 'the bundle, dist-electron/cli.cjs' : 'the TypeScript sources through tsx'}) at ${server.origin.href}`);
    const signedIn = await signIn(server.origin, o.workstations, o.clinicians);
    stations.push(signedIn.admin, ...signedIn.stations);
    const startupBackupMs = await startupBackup(signedIn.admin, o.log);
    o.log(`  ${o.workstations} workstations signed in as ${o.clinicians} clinicians; start-up backup done (${(startupBackupMs / 1000).toFixed(1)} s waited)`);

    const options = { today: clinicToday(), thinkMs: o.thinkMs };
    const warm = emptyStats();
    if (o.warmupSeconds > 0) {
      const until = process.hrtime.bigint() + BigInt(Math.round(o.warmupSeconds * 1e9));
      await Promise.all(signedIn.stations.map((ws, i) => workstationLoop(ws, warm, until, 1000 + i, options)));
    }
    const stats = emptyStats();
    const serverCpu0 = cpuMsOf(server.child.pid!);
    const loadCpu0 = process.cpuUsage();
    const t = process.hrtime.bigint();
    const until = t + BigInt(Math.round(o.seconds * 1e9));
    await Promise.all(signedIn.stations.map((ws, i) => workstationLoop(ws, stats, until, i + 1, options)));
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    const serverCpu1 = cpuMsOf(server.child.pid!);
    const loadCpu = process.cpuUsage(loadCpu0);
    const serverCpuMs = serverCpu0 === null || serverCpu1 === null ? null : serverCpu1 - serverCpu0;
    const loadAverage = os.loadavg()[0]!;

    const auditByServer = await signedIn.admin.must<AuditChainStatus>('audit.verify', {});
    const serverExit = await server.stop();
    server = null;
    const acknowledged = [...warm.acknowledged, ...stats.acknowledged];
    for (const [k, n] of warm.errors) stats.errors.set(`warm-up ${k}`, n);
    const back = readBack(db, acknowledged);
    const requests = KINDS.reduce((n, k) => n + stats.latencies[k].length, 0);
    return { entry, seconds, stats, requests, acknowledged, missing: back.missing, auditByServer, auditOnFile: back.audit, startupBackupMs, serverExit, serverCpuMs, loadCpuMs: (loadCpu.user + loadCpu.system) / 1000, loadAverage, retries: signedIn.stations.reduce((n, ws) => n + ws.retries, 0) };
  } finally {
    for (const ws of stations) ws.close();
    if (server !== null) await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** Targets of issue 14: p95 of a read ≤ 50 ms, of a write ≤ 100 ms. */
export const P95_TARGET_MS = { read: 50, write: 100 } as const;

export function serverFigures(r: ServerRunResult, patients: number, workstations: number): Figure[] {
  const label = `${(patients / 1000).toFixed(0)}k patients, ${workstations} workstations`;
  const figures: Figure[] = [];
  for (const kind of KINDS) {
    const v = r.stats.latencies[kind];
    if (v.length === 0) continue;
    const isWrite = WRITES.includes(kind as Kind);
    figures.push({
      name: `server: ${kind}, p95 (${label})`,
      value: percentile(v, 95),
      unit: 'ms',
      max: isWrite ? P95_TARGET_MS.write : P95_TARGET_MS.read,
      note: `p50 ${percentile(v, 50).toFixed(1)} ms; ${v.length} answered (${(v.length / r.seconds).toFixed(1)}/s)`,
    });
  }
  const errors = [...r.stats.errors.values()].reduce((a, b) => a + b, 0);
  const refusals = [...r.stats.refusals.values()].reduce((a, b) => a + b, 0);
  figures.push({
    name: `server: throughput (${label})`,
    value: r.requests / r.seconds,
    unit: '/s',
    note: `${r.requests} requests in ${r.seconds.toFixed(0)} s; ${errors} errors; ${refusals} writes refused for a clinical reason; ${r.acknowledged.length - r.missing.length} of ${r.acknowledged.length} acknowledged writes read back by id; audit chain ${r.auditByServer.ok && r.auditOnFile.ok ? `verified (${r.auditOnFile.entries} entries)` : 'BROKEN'}; server CPU ${r.serverCpuMs === null ? '?' : `${(r.serverCpuMs / r.seconds / 10).toFixed(0)} % of a core, ${(r.serverCpuMs / r.requests).toFixed(1)} ms a request`}; the workstations' process ${(r.loadCpuMs / r.seconds / 10).toFixed(0)} % of a core; load average ${r.loadAverage.toFixed(1)}; reservoir serve from ${r.entry === 'bundle' ? 'the bundle' : 'sources via tsx'}`,
  });
  return figures;
}

/** The details a table row cannot hold: every error and every clinical refusal, by rule. */
export function describeRun(r: ServerRunResult): string {
  const lines = [`server run: ${r.requests} requests in ${r.seconds.toFixed(1)} s, ${r.acknowledged.length} writes acknowledged (warm-up included), ${r.missing.length} missing afterwards; server exit ${r.serverExit}; ${r.retries} requests sent again after the server closed an idle kept-alive connection`];
  lines.push(`audit chain: by the server ${JSON.stringify(r.auditByServer)}; on the file ${JSON.stringify(r.auditOnFile)}`);
  for (const [k, n] of r.stats.errors) lines.push(`  error ×${n}: ${k}`);
  for (const [k, n] of r.stats.refusals) lines.push(`  refused ×${n}: ${k}`);
  return lines.join('\n');
}
