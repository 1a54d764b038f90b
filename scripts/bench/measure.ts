/** Small helpers shared by the benchmark sections: timing, medians, the sqlite3 floor, process memory. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export interface Figure {
  /** What was measured. */
  name: string;
  /** The measured value (median where repeated). */
  value: number;
  unit: 'ms' | 'MB' | 's' | '/s';
  /** The same work by the sqlite3 command-line tool or an empty database, where one exists. */
  floor?: number | null;
  /** The target: at most `max` of `unit`, and at most `maxRatio` × the floor. */
  max?: number;
  maxRatio?: number;
  note?: string;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times, answering the median in ms. */
export function timeMedian(fn: () => unknown, runs = 15, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(times);
}

/**
 * The floor for a query: the sqlite3 command-line tool runs `sql` `runs` times on `file` with
 * `.timer on`; answers the median wall time it reports, in ms. Parameters are bound with `.param set`.
 */
export function sqliteFloorMs(file: string, sql: string, params: Record<string, string | number | null> = {}, runs = 15): number {
  const lines = ['.timer on', '.output /dev/null'];
  for (const [k, v] of Object.entries(params)) lines.push(`.param set @${k} ${v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`}`);
  for (let i = 0; i < runs + 2; i++) lines.push(`${sql.trim().replace(/;$/, '')};`);
  const r = spawnSync('sqlite3', ['-readonly', file], { input: lines.join('\n'), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  const times = [...(r.stdout + r.stderr).matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]) * 1000);
  if (times.length < runs) throw new Error(`sqlite3 printed ${times.length} timings, expected ${runs + 2}:\n${r.stderr.slice(0, 500)}`);
  return median(times.slice(2));
}

/** Wall time of a sqlite3 script (a floor for bulk work such as .import and .mode csv), in ms. */
export function sqliteScriptMs(file: string, script: string): number {
  const t = process.hrtime.bigint();
  const r = spawnSync('sqlite3', [file], { input: script, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return ms;
}

/** Resident memory of a process, in MB (Linux /proc). */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Whether a figure meets its targets (null when it has none). */
export function meets(f: Figure): boolean | null {
  const checks: boolean[] = [];
  if (f.max !== undefined) checks.push(f.value <= f.max);
  if (f.maxRatio !== undefined && f.floor) checks.push(f.value / f.floor <= f.maxRatio);
  return checks.length ? checks.every(Boolean) : null;
}

/** The one table `npm run bench` prints (Markdown, so docs/performance.md can hold it as is). */
export function table(figures: Figure[]): string {
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  const rows = figures.map((f) => {
    const ratio = f.floor ? `${(f.value / f.floor).toFixed(2)}×` : '';
    const target = [f.max !== undefined ? `≤ ${f.max} ${f.unit}` : '', f.maxRatio !== undefined ? `≤ ${f.maxRatio}× floor` : ''].filter(Boolean).join(', ');
    const met = meets(f);
    return `| ${f.name} | ${fmt(f.value)} ${f.unit} | ${f.floor ? `${fmt(f.floor)} ${f.unit}` : ''} | ${ratio} | ${target} | ${met === null ? '' : met ? 'yes' : '**no**'} | ${f.note ?? ''} |`;
  });
  return ['| measure | value | floor | ratio | target | met | note |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}
