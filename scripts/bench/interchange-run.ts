/**
 * One interchange command in a fresh process, as `reservoir export` and `reservoir import` run
 * (each its own Node process): `interchange-run.ts export|import DB DIR AS_OF` opens the database,
 * times the export or import alone, and prints one JSON line ({ ms, rows } or { ms } or { error }).
 * The benchmark runs it in a child process so that its heap is the command's own, not one the
 * benchmark's earlier sections have filled.
 */
import { openStore } from '../../electron/cli/database';
import { exportRecord, importRecord } from '../../electron/services/features/interchange';
import { benchKeys } from './encryption';

const [mode, file, dir, asOf] = process.argv.slice(2);
if ((mode !== 'export' && mode !== 'import') || !file || !dir || !asOf) {
  console.error('usage: interchange-run.ts export|import DB DIR AS_OF');
  process.exit(2);
}
const now = () => Date.parse(`${asOf}T12:00:00Z`);
const opened = openStore(file, { mustExist: mode === 'export', now, keys: benchKeys() });
if (!opened.ok) {
  console.log(JSON.stringify({ error: opened.message }));
  process.exit(1);
}
const t = process.hrtime.bigint();
let out: { ms: number; rows?: number } | { error: string };
if (mode === 'export') {
  const exported = exportRecord(opened.value.ctx, dir);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  out = exported.ok ? { ms, rows: Object.values(exported.value.rows).reduce((a, b) => a + b, 0) } : { error: exported.error.message };
} else {
  const imported = importRecord(opened.value.ctx, dir);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  out = imported.ok ? { ms } : { error: JSON.stringify(imported.issues.slice(0, 3)) };
}
opened.value.close();
console.log(JSON.stringify(out));
process.exit('error' in out ? 1 : 0);
