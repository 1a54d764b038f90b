/** Test helpers for the interchange tests: a fresh database, the fixture folder, row counts. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../store/database';
import { SqliteStore } from '../../store/store';
import type { HandlerContext } from '../../handler-types';
import { tempDir } from '../../testing/temp';
import { AuditLog } from '../../audit/log';
import { SYSTEM_ACTOR } from '../../audit/actors';

export const FIXTURE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'clinic');

/** The fixture's files as text, by file name. */
export function fixtureFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(FIXTURE_DIR)) out[name] = fs.readFileSync(path.join(FIXTURE_DIR, name), 'utf8');
  return out;
}

export interface TestDb {
  ctx: HandlerContext;
  store: SqliteStore;
  file: string;
  close(): void;
}

export const NOW = Date.UTC(2025, 8, 1, 12);

export function openTestDb(file: string): TestDb {
  const opened = openDatabase(file);
  if (!opened.ok || opened.state !== 'ok') throw new Error('test database did not open');
  const store = new SqliteStore(opened.db);
  const now = () => NOW;
  const audit = new AuditLog(opened.db).sink(() => SYSTEM_ACTOR, now);
  return { ctx: { store, now, actor: SYSTEM_ACTOR, audit }, store, file, close: () => store.close() };
}

/** A temporary folder, with helpers for databases and interchange folders in it. */
export function workspace() {
  const tmp = tempDir('reservoir-interchange-');
  const dbs: TestDb[] = [];
  let n = 0;
  return {
    dir: tmp.dir,
    db(name = `clinic-${n++}.db`): TestDb {
      const db = openTestDb(tmp.file(name));
      dbs.push(db);
      return db;
    },
    /** Writes a folder of files (name → text or bytes); answers its path. */
    folder(files: Record<string, string | Uint8Array>, name = `in-${n++}`): string {
      const dir = tmp.file(name);
      fs.mkdirSync(dir, { recursive: true });
      for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
      return dir;
    },
    path: (name: string) => tmp.file(name),
    cleanup(): void {
      for (const db of dbs) db.close();
      tmp.cleanup();
    },
  };
}

const TABLES = ['patients', 'pumps', 'refills', 'refill_drugs', 'dose_changes', 'reversals', 'removals', 'pump_projection', 'events'] as const;

/** Rows in every clinical table. */
export function rowCounts(db: TestDb): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (db.store.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  return out;
}

/** Every file of a folder as bytes, by name. */
export function readFolder(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const name of fs.readdirSync(dir).sort()) out[name] = fs.readFileSync(path.join(dir, name));
  return out;
}

/** Replaces line `line` (1-based) of a text. */
export function replaceLine(text: string, line: number, replacement: string): string {
  const lines = text.split('\n');
  lines[line - 1] = replacement;
  return lines.join('\n');
}
