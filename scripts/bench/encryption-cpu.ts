/**
 * The CPU cost of the cipher on a whole-file read: `integrity_check` of the cached 50,000-patient
 * clinic and of its encrypted copy (both made by `npm run bench -- --only queries [--encrypted]`),
 * alternating, in one process. CPU time, because on a shared machine wall time is mostly the load.
 *
 *   node --import tsx scripts/bench/encryption-cpu.ts [ROUNDS]
 */
import fs from 'node:fs';
import path from 'node:path';
import { connect } from '../../electron/services/store/connect';
import { fileKeyStore } from '../../electron/services/store/keys';
import { CACHE_DIR } from './scale-db';

const rounds = Number(process.argv[2] ?? 2);
const encrypted = fs.readdirSync(CACHE_DIR).find((f) => /^clinic-50000p-.*-encrypted\.db$/.test(f));
if (!encrypted) throw new Error(`no encrypted 50k clinic in ${CACHE_DIR}: run npm run bench -- --only queries --encrypted first`);
const enc = path.join(CACHE_DIR, encrypted);
const plain = enc.replace(/-encrypted\.db$/, '.db');
const key = fileKeyStore({ keyFile: path.join(CACHE_DIR, 'bench.key') }).read(enc);
if (!key.ok || key.value === null) throw new Error('no bench key');
for (let round = 0; round < rounds; round++) {
  for (const [name, file, k] of [['unencrypted', plain, null], ['encrypted', enc, key.value]] as const) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const db = connect(file, { key: k }, { readonly: true });
    const result = db.pragma('integrity_check', { simple: true });
    db.close();
    const cpu = process.cpuUsage(c0);
    console.log(`${name}: integrity_check ${String(result)}, wall ${(performance.now() - t0).toFixed(0)} ms, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
  }
}
