import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { openDatabase } from './database';
import { tempDir } from '../testing/temp';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.cleanup());

const root = path.resolve(import.meta.dirname, '../../..');

function writer(file: string, name: string, count: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'concurrent-writer.ts'), file, name, String(count)], { cwd: root });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('SqliteStore write transactions', () => {
  it('begin IMMEDIATE: two programs writing at once (read, then write) both succeed, none refused as busy', async () => {
    const file = tmp.file('clinic.db');
    const r = openDatabase(file);
    if (!r.ok || r.state !== 'ok') throw new Error('open');
    r.db.exec('CREATE TABLE concurrent_writes (id INTEGER PRIMARY KEY, writer TEXT NOT NULL, seen INTEGER NOT NULL)');
    r.db.close();

    const count = 400;
    const [a, b] = await Promise.all([writer(file, 'a', count), writer(file, 'b', count)]);
    expect(a.out.trim()).toBe('done a');
    expect(b.out.trim()).toBe('done b');
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT writer, seen FROM concurrent_writes ORDER BY id').all() as { writer: string; seen: number }[];
    db.close();
    expect(rows).toHaveLength(2 * count);
    // They did run at the same time: the writers' rows interleave, and every write saw all before it.
    expect(new Set(rows.slice(0, count).map((row) => row.writer)).size).toBe(2);
    rows.forEach((row, i) => expect(row.seen).toBe(i));
  }, 60_000);
});
