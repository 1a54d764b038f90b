import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { main } from './main';
import type { CliIo } from './args';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('reservoir-cli-generate-');
});
afterEach(() => tmp.cleanup());

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), now: () => Date.UTC(2025, 8, 1, 12) };
  return { code: main(args, io), out, err };
}

describe('reservoir generate', () => {
  it('prints its help, exit 0', () => {
    const r = run(['generate', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: reservoir generate --db FILE/);
    expect(run(['--help']).out).toMatch(/generate {2}--db FILE --patients N/);
  });

  it.each([
    [['generate', '--patients', '5', '--years', '2'], /--db is required/],
    [['generate', '--db', 'x.db', '--years', '2'], /--patients is required/],
    [['generate', '--db', 'x.db', '--patients', '0', '--years', '2'], /--patients must be a whole number from 1 to 100000/],
    [['generate', '--db', 'x.db', '--patients', '100001', '--years', '2'], /--patients must be/],
    [['generate', '--db', 'x.db', '--patients', '5', '--years', '41'], /--years must be a whole number from 1 to 40/],
    [['generate', '--db', 'x.db', '--patients', '5', '--years', '1.5'], /--years must be/],
    [['generate', '--db', 'x.db', '--patients', '5', '--years', '2', '--seed', '-1'], /--seed/],
    [['generate', '--db', 'x.db', '--patients', '5', '--years', '2', '--as-of', '2025-02-30'], /--as-of must be a real date/],
    [['generate', '--db', 'x.db', '--patients', '5', '--years', '2', 'extra'], /unexpected argument/],
  ])('refuses bad usage %j with exit 2', (args, message) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });

  it('generates a clinic, reports progress and counts, and the same seed gives the same worklist', () => {
    const dbs = ['a.db', 'b.db'].map((n) => tmp.file(n));
    for (const db of dbs) {
      const r = run(['generate', '--db', db, '--patients', '12', '--years', '3', '--seed', '5', '--as-of', '2025-09-01']);
      expect(r.code).toBe(0);
      expect(r.err).toBe('generated 12/12 patients\n');
      expect(r.out).toMatch(/12 patients, \d+ pumps, \d+ refills \(\d+ flagged\), \d+ dose changes, \d+ events, .* in \d+\.\d s\./);
    }
    const lists = dbs.map((db) => run(['worklist', '--db', db, '--as-of', '2025-09-01', '--format', 'csv']));
    expect(lists[0]!.code).toBe(0);
    expect(lists[0]!.out.trim().split('\n').length).toBeGreaterThan(1);
    expect(lists[1]!.out).toBe(lists[0]!.out);
  });

  it('refuses a database that already holds data, exit 1, and leaves it as it was', () => {
    const db = tmp.file('clinic.db');
    expect(run(['generate', '--db', db, '--patients', '3', '--years', '1', '--as-of', '2025-09-01']).code).toBe(0);
    const before = run(['worklist', '--db', db, '--as-of', '2025-09-01', '--format', 'csv']).out;
    const r = run(['generate', '--db', db, '--patients', '3', '--years', '1', '--seed', '9']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/already holds patients or pumps/);
    expect(run(['worklist', '--db', db, '--as-of', '2025-09-01', '--format', 'csv']).out).toBe(before);
  });
});
