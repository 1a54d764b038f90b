/**
 * Benchmark clinics of any size, cached between runs.
 *
 * A base clinic is generated through the real services (`generateClinic`: patients, pumps, refills,
 * dose changes, events, reversals, removals and replacements, with every projection computed by the
 * services). Generating 50,000 patients that way takes minutes, so a large clinic is the base clinic
 * copied K times in SQL with every id shifted and MRNs and serials suffixed: the same realistic mix
 * and the same per-patient history sizes, with the projections copied alongside. Only benchmarks use
 * this; the app never writes clinical rows outside the services.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { openStore } from '../../electron/cli/database';
import { generateClinic } from '../../electron/services/generate/generate';
import { writeTransaction } from '../../electron/services/store/transactions';
import { calendarDate, type CalendarDate } from '../../shared/domain/calendar';

export const CACHE_DIR = process.env.RESERVOIR_BENCH_CACHE ?? path.join(os.tmpdir(), 'reservoir-bench-cache');

/** The clinical tables copied, their id column (if any) and the columns that point at other copied rows. */
type Owner = 'self' | 'patient' | 'pump' | 'refill';
const TABLES: { name: string; id: string | null; owner: Owner; refs: Record<string, string> }[] = [
  { name: 'patients', id: 'id', owner: 'self', refs: {} },
  { name: 'pumps', id: 'id', owner: 'patient', refs: { patient_id: 'patients' } },
  { name: 'refills', id: 'id', owner: 'pump', refs: { pump_id: 'pumps' } },
  { name: 'refill_drugs', id: null, owner: 'refill', refs: { refill_id: 'refills' } },
  { name: 'dose_changes', id: 'id', owner: 'pump', refs: { pump_id: 'pumps' } },
  { name: 'events', id: 'id', owner: 'patient', refs: { patient_id: 'patients', pump_id: 'pumps' } },
  { name: 'reversals', id: 'id', owner: 'pump', refs: { pump_id: 'pumps' } },
  { name: 'removals', id: 'id', owner: 'pump', refs: { pump_id: 'pumps', replacement_pump_id: 'pumps' } },
  { name: 'pump_projection', id: null, owner: 'pump', refs: { pump_id: 'pumps' } },
  { name: 'patient_contacts', id: null, owner: 'patient', refs: { patient_id: 'patients' } },
  { name: 'patient_phones', id: null, owner: 'patient', refs: { patient_id: 'patients' } },
];
/** Changes with TABLES (what a copy holds), so a clinic cached with fewer tables copied is not reused. */
const LAYOUT = 2;
const SUFFIXED: Record<string, string[]> = { patients: ['mrn'], pumps: ['serial'] };

export interface ScaleOptions {
  patients: number;
  years: number;
  seed?: number;
  asOf: CalendarDate;
  /** Patients generated through the services; the rest are copies (default min(patients, 1000)). */
  basePatients?: number;
  log?: (line: string) => void;
}

/** A cached clinic database file of the requested size (built on first use). Treat it as read-only: copy it before writing. */
export function scaleClinic(options: ScaleOptions): string {
  const base = Math.min(options.patients, options.basePatients ?? 1000);
  const seed = options.seed ?? 1;
  const log = options.log ?? (() => {});
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const file = path.join(CACHE_DIR, `clinic-${options.patients}p-${options.years}y-${base}b-s${seed}-${options.asOf}-v${schemaStamp()}-l${LAYOUT}.db`);
  if (fs.existsSync(file)) return file;

  const tmp = `${file}.partial`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  const started = Date.now();
  const now = Date.parse(`${options.asOf}T12:00:00Z`);
  // Unencrypted: the sqlite3 floors read it (an --encrypted run measures an encrypted copy, encryption.ts).
  const opened = openStore(tmp, { mustExist: false, now: () => now, keys: { plain: true } });
  if (!opened.ok) throw new Error(opened.message);
  generateClinic(opened.value.ctx, {
    patients: base,
    years: options.years,
    seed,
    asOf: options.asOf,
    onProgress: (done, total) => log(`  generating ${done}/${total} patients through the services`),
  });
  opened.value.close();
  log(`  base clinic of ${base} patients generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const copies = Math.ceil(options.patients / base);
  if (copies > 1) replicate(tmp, copies, options.patients, log);
  const db = new Database(tmp);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  for (const f of [`${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  fs.renameSync(tmp, file);
  log(`  clinic of ${options.patients} patients ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${file}`);
  return file;
}

/** Copies the base clinic until it holds `total` patients (the last copy may be partial). */
function replicate(file: string, copies: number, total: number, log: (line: string) => void): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const maxId: Record<string, number> = {};
  for (const t of TABLES) {
    if (t.id) maxId[t.name] = (db.prepare(`SELECT coalesce(max(${t.id}), 0) AS m FROM ${t.name}`).get() as { m: number }).m;
  }
  const basePatients = (db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n;
  for (let k = 1; k < copies; k++) {
    const limitPatientId = Math.min(basePatients, total - k * basePatients);
    writeTransaction(db, () => {
      for (const t of TABLES) {
        const columns = (db.prepare(`PRAGMA table_info(${t.name})`).all() as { name: string }[]).map((c) => c.name);
        const select = columns.map((c) => {
          if (c === t.id) return `${c} + ${k * maxId[t.name]!}`;
          const target = t.refs[c];
          if (target) return `${c} + ${k * maxId[target]!}`;
          if (SUFFIXED[t.name]?.includes(c)) return `${c} || '-${k}'`;
          return c;
        });
        db.exec(`INSERT INTO ${t.name} (${columns.join(', ')}) SELECT ${select.join(', ')} FROM ${t.name} WHERE ${ownerFilter(t.owner, limitPatientId)}`);
      }
    })();
    log(`  copied the base clinic ${k + 1}/${copies}`);
  }
  db.close();
}

/** Rows of the base clinic belonging to its first `limit` patients (copies have larger ids). */
function ownerFilter(owner: Owner, limit: number): string {
  const basePumps = `(SELECT id FROM pumps WHERE patient_id <= ${limit})`;
  const filters: Record<Owner, string> = {
    self: `id <= ${limit}`,
    patient: `patient_id <= ${limit}`,
    pump: `pump_id IN ${basePumps}`,
    refill: `refill_id IN (SELECT id FROM refills WHERE pump_id IN ${basePumps})`,
  };
  return filters[owner];
}

/**
 * Changes when a migration is added, so cached clinics from an older schema are not reused: a hash
 * of the frozen migration files (electron/services/store/migrations/sqlite/, in order), which
 * released migrations never change; editing the list's file or a feature module leaves it as it is.
 */
function schemaStamp(): string {
  const folder = path.resolve(import.meta.dirname, '../../electron/services/store/migrations/sqlite');
  const files = fs.readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  const src = files.map((f) => `${f}\n${fs.readFileSync(path.join(folder, f), 'utf8')}`).join('\n');
  let h = 0;
  for (let i = 0; i < src.length; i++) h = (Math.imul(h, 31) + src.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

export { calendarDate };
